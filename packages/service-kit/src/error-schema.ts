import { z } from "zod";

/** Every error a Flotilla service answers: `{"error": "..."}`. */
export const errorSchema = z.object({ error: z.string().describe("What went wrong, for a human.") });
