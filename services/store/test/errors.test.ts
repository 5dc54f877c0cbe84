import { describe, expect, it } from "vitest";
import { UnavailableError } from "../src/storage/errors.ts";

describe("UnavailableError", () => {
  it("keeps the driver error's message and code, not the failed statement and its values", () => {
    const driverError = Object.assign(new Error("Connection lost: The server closed the connection."), {
      code: "PROTOCOL_CONNECTION_LOST",
      sql: "INSERT INTO users (...) VALUES ('ada', '$2b$10$secret-hash')",
    });
    const err = new UnavailableError("users", driverError);
    expect(err.statusCode).toBe(503);
    expect(err.message).toBe("users database unavailable");
    expect(err.cause).toMatchObject({ message: driverError.message, code: "PROTOCOL_CONNECTION_LOST" });
    expect(JSON.stringify(err.cause, Object.getOwnPropertyNames(err.cause))).not.toContain("$2b$");
  });
});
