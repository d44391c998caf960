import { z } from "zod";
import { migrateDeploy } from "../../db/migrate.ts";
import { parseCommandArgs } from "../args.ts";
import { type CliCommand, CliError } from "../command.ts";

export const dbCommand: CliCommand = {
  name: "db",
  summary: "Database: apply pending migrations",
  usage: "ecd db migrate",
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== "migrate") throw new CliError(`unknown db command "${sub ?? ""}"; expected migrate`);
    parseCommandArgs(rest, {}, z.object({}));
    const applied = await migrateDeploy();
    io.stdout(applied.length ? `applied ${applied.join(", ")}\n` : "database is up to date\n");
  },
};
