import { type Routes, z } from "@flotilla/service-kit";

/** `GET /hello`: byte-compatible with gobyexample's HTTP server. */
export const helloRoutes: Routes = async (app) => {
  app.get(
    "/hello",
    {
      schema: {
        summary: "`hello` and a newline, as gobyexample's Go server answers.",
        produces: ["text/plain"],
        response: { 200: z.string() },
      },
    },
    async (_request, reply) => reply.type("text/plain; charset=utf-8").send("hello\n"),
  );
};
