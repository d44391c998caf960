import { z } from "zod";
import { roleSchema } from "../../auth/roles.ts";
import { createUser, findUserByEmail, listUsers, setPassword } from "../../auth/users.ts";
import { getDb } from "../../db/client.ts";
import { DomainError } from "../../errors.ts";
import { parseCommandArgs } from "../args.ts";
import { type CliCommand, CliError, type CliIO } from "../command.ts";

async function passwordFromStdin(io: CliIO, example: string): Promise<string> {
  const password = (await io.readStdin()).replace(/\r?\n$/, "");
  if (!password) throw new CliError(`password: give it on standard input, e.g. \`echo 'secret…' | ${example}\``);
  return password;
}

/** A refused password names the field, like every other bad flag. */
async function namingPasswordField<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.field === "password") throw new CliError(`password: ${error.message}`);
    throw error;
  }
}

const emailOnly = z.object({ email: z.string({ error: "is required" }) });

export const userCommand: CliCommand = {
  name: "user",
  summary: "Manage users: add, list, passwd, reset",
  usage: [
    "ecd user add --email EMAIL --role admin|researcher|annotator [--name NAME]   (password from standard input)",
    "ecd user list [--json]",
    "ecd user passwd --email EMAIL   set the user's password from standard input (12+ characters, not a common one)",
    "ecd user reset --email EMAIL    give the user a generated password, printed once",
    "",
    "passwd and reset sign the user out everywhere and clear their sign-in limits.",
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
      const password = await passwordFromStdin(io, "npm run ecd -- user add …");
      const user = await namingPasswordField(() =>
        createUser(db, { email: opts.email, role: opts.role, name: opts.name ?? "", password }, null),
      );
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
    if (sub === "passwd" || sub === "reset") {
      const { email } = parseCommandArgs(rest, { email: { type: "string" } }, emailOnly);
      const user = await findUserByEmail(db, email);
      if (!user) throw new CliError(`--email: no user with email ${email}`);
      if (sub === "passwd") {
        const password = await passwordFromStdin(io, "npm run ecd -- user passwd --email E");
        await namingPasswordField(() => setPassword(db, user.id, null, password));
        io.stdout(`password of ${user.email} changed; their sessions are signed out\n`);
      } else {
        const { generatedPassword } = await setPassword(db, user.id, null);
        io.stdout(`new password for ${user.email} (shown once, share it privately): ${generatedPassword}\n`);
      }
      return;
    }
    throw new CliError(`unknown user command "${sub ?? ""}"; expected add, list, passwd or reset`);
  },
};
