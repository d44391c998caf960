import { z } from "zod";

// In the browser, zod would probe for eval (`new Function("")`) to compile its parsers; the
// Content-Security-Policy forbids eval and reports even the probe as a violation. Imported by the
// client components present on every page (the sign-in form, the sign-out button).
if (typeof window !== "undefined") z.config({ jitless: true });
