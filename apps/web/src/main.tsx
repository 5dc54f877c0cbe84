// Boot: read the runtime configuration, then render.

import "./zod-config.ts";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./components/App.tsx";
import { loadConfig } from "./config.ts";
import "./styles.css";

const root = document.getElementById("root");
if (root === null) throw new Error("index.html lacks #root");
const config = await loadConfig();
createRoot(root).render(
  <StrictMode>
    <App config={config} />
  </StrictMode>,
);
