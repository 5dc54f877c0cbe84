// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConnectionBadge } from "./ConnectionBadge.tsx";

afterEach(cleanup);

describe("ConnectionBadge", () => {
  it.each([
    [{ state: "connecting", transport: null }, "Connecting…"],
    [{ state: "live", transport: "stream" }, "Live"],
    [{ state: "live", transport: "poll" }, "Live (polling)"],
    [{ state: "reconnecting", transport: null }, "Reconnecting…"],
    [{ state: "offline", transport: null }, "Offline"],
  ] as const)("announces %j as text, not colour alone", (partial, text) => {
    render(<ConnectionBadge status={{ failures: 0, retryAt: null, ...partial }} onReconnect={() => {}} />);
    expect(screen.getByRole("status").textContent).toBe(text);
  });

  it("offers a keyboard-reachable reconnect while waiting, with a countdown", async () => {
    const onReconnect = vi.fn();
    render(
      <ConnectionBadge
        status={{ state: "offline", transport: null, failures: 5, retryAt: Date.now() + 9_500 }}
        onReconnect={onReconnect}
      />,
    );
    expect(screen.getByText(/retry in (9|10) s/)).toBeTruthy();
    const user = userEvent.setup();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Reconnect now" }));
    await user.keyboard("{Enter}");
    expect(onReconnect).toHaveBeenCalledOnce();
  });

  it("keeps the button out of reach while live", async () => {
    render(<ConnectionBadge status={{ state: "live", transport: "stream", failures: 0, retryAt: null }} onReconnect={() => {}} />);
    const button = screen.getByRole("button", { name: "Reconnect now", hidden: true });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await userEvent.setup().tab();
    expect(document.activeElement).not.toBe(button);
  });
});
