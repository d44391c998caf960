/**
 * The only texts the sign-in page shows for a failed sign-in, keyed by the code the server sends
 * (next-auth's `error` parameter or the thrown error's message). Anything else shows `invalid`,
 * so a crafted `?error=` link cannot put its own words on the page.
 */
export const SIGN_IN_ERRORS = {
  invalid: "Email or password is incorrect.",
  limited:
    "Too many failed sign-ins for this account from here. Wait a few minutes and try again, or ask an admin to unlock the account.",
  input: "Enter a valid email address and your password.",
  session: "Your session has ended. Sign in again.",
} as const;

export type SignInErrorCode = keyof typeof SIGN_IN_ERRORS;

export function signInErrorMessage(code: string | null | undefined): string {
  return Object.hasOwn(SIGN_IN_ERRORS, code ?? "") ? SIGN_IN_ERRORS[code as SignInErrorCode] : SIGN_IN_ERRORS.invalid;
}
