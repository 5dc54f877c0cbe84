import { type Routes, z } from "@flotilla/service-kit";

/** `GET /greeting/` (the seed's path; `/greeting` works too): the seed's exact body. */
export const greetingRoutes: Routes = async (app) => {
  app.get(
    "/greeting/",
    { schema: { summary: "The seed's greeting.", response: { 200: z.object({ Greeting: z.string() }) } } },
    async () => ({ Greeting: "Hi Koronet Team" }),
  );
};
