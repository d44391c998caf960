import { z } from "zod";
import { roleSchema } from "./roles.ts";

// Input schemas shared by forms in the browser and by the server (no server-only imports here).

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address").max(254));

export const passwordSchema = z
  .string()
  .min(12, "Password must be at least 12 characters")
  .max(200, "Password must be at most 200 characters");

export const credentialsSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(200, "Password is too long"),
});

export const newUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(100, "Name must be at most 100 characters").default(""),
  role: roleSchema,
  password: passwordSchema,
});

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(200, "Password is too long"),
  newPassword: passwordSchema,
});
