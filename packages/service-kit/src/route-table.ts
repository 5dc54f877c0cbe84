import type { FastifyInstance } from "fastify";
import FindMyWay, { type HTTPMethod } from "find-my-way";

export interface ServedRoute {
  method: string;
  /** The route pattern as registered, e.g. `/users/:id`. */
  url: string;
}

/**
 * Every route of every method the app serves, recorded as it is added: the not-found handler
 * asks it which methods a path allows (405 with `Allow`), and tests compare it with the OpenAPI
 * document.
 */
export class RouteTable {
  readonly #router = FindMyWay({ ignoreTrailingSlash: true }); // as the app router (kit.ts)
  readonly #routes: ServedRoute[] = [];

  constructor(app: FastifyInstance) {
    app.addHook("onRoute", (route) => {
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        if (this.#router.hasRoute(method as HTTPMethod, route.url)) continue;
        this.#router.on(method as HTTPMethod, route.url, () => {});
        this.#routes.push({ method, url: route.url });
      }
    });
  }

  /** The methods other than `except` that have a route matching `path`. */
  allowed(path: string, except: string): string[] {
    return ALL_METHODS.filter((method) => method !== except && this.#router.find(method, path));
  }

  get routes(): readonly ServedRoute[] {
    return this.#routes;
  }
}

const ALL_METHODS: HTTPMethod[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
