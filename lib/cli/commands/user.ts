import { z } from "zod";
import { roleSchema } from "../../auth/roles.ts";
import { createUser, listUsers } from "../../auth/users.ts";
import { getDb } from "../../db/client.ts";
import { parseCommandArgs } from "../args.ts";
import { type CliCommand, CliError } from "../command.ts";

export const userCommand: CliCommand = {
  name: "user",
  summary: "Manage users: add, list",
  usage: [
    "ecd user add --email EMAIL --role admin|researcher|annotator [--name NAME]   (password from standard input)",
    "ecd user list [--json]",
  ].join("\n"),
  async run(args, io) {
    const [sub, ...rest] = args;
    const db = getDb();
    if (sub === "add") {
      const opts = parseCommandArgs(
        rest,
        { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
        z.object({ email: z.string({ error: "is required" }), role: roleSchema, name: z.string().optional() }),
      );
      const password = (await io.readStdin()).replace(/\r?\n$/, "");
      if (!password)
        throw new CliError("password: give it on standard input, e.g. `echo 'secret…' | npm run ecd -- user add …`");
      const user = await createUser(db, { email: opts.email, role: opts.role, name: opts.name ?? "", password }, null);
      io.stdout(`created ${user.role} ${user.email} (id ${user.id})\n`);
      return;
    }
    if (sub === "list") {
      const opts = parseCommandArgs(rest, { json: { type: "boolean" } }, z.object({ json: z.boolean().optional() }));
      const users = await listUsers(db);
      if (opts.json) io.stdout(JSON.stringify(users, null, 2) + "\n");
      else for (const u of users) io.stdout(`${u.id}\t${u.email}\t${u.role}${u.disabled ? "\tdisabled" : ""}\n`);
      return;
    }
    throw new CliError(`unknown user command "${sub ?? ""}"; expected add or list`);
  },
};
