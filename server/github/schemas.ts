import { z } from "zod";
import { githubConnectionStatuses } from "../../models/github.ts";

const repository = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, "Name repositories as owner/name, like acme/site.");

/** PUT /me/github and the /account/github form: a personal access token and, optionally, which repositories to read. */
export const connectGithubInput = z
  .object({
    token: z
      .string({ error: "Paste a personal access token." })
      .trim()
      .min(1, "Paste a personal access token.")
      .max(500, "That is too long for a GitHub token.")
      .regex(/^[\x21-\x7e]+$/, "A token has no spaces or other characters."),
    /** Empty: every repository the token can see. */
    repositories: z.array(repository).max(50, "At most 50 repositories.").default([]),
  })
  .strict();
export type ConnectGithubInput = z.infer<typeof connectGithubInput>;

/** The connection as the API answers it: never the token. */
export const githubConnectionJsonSchema = z.object({
  connected: z.boolean(),
  login: z.string().nullable(),
  repositories: z.array(z.string()),
  status: z.enum(githubConnectionStatuses).nullable().describe("`reconnect`: GitHub refused the token; connect again"),
  connectedAt: z.string().nullable(),
});
export type GithubConnectionJson = z.infer<typeof githubConnectionJsonSchema>;
