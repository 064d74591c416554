import { defineConfig } from "drizzle-kit";

// Only used by `npm run db:generate`; the running box applies migrations itself (server/migrate.ts).
export default defineConfig({
  dialect: "sqlite",
  schema: "./models/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
