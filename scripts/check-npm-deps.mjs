// The UI's npm dependencies stay few and reviewed (docs/security.md): the shipped code may use
// only the packages allowed below, every locked package carries an integrity hash, and none has
// an install script but those reviewed (which are not run either). Run by `make test`; adding a
// package means reviewing it and this list.
import { readFileSync } from "node:fs";

const RUNTIME = ["@tauri-apps/api"];
const BUILD_TOOLS = [
  "@sveltejs/vite-plugin-svelte",
  // Accessibility rules (WCAG 2.2 AA), run in the e2e tests against the real window; not shipped.
  "axe-core",
  "@tsconfig/svelte",
  // The packaging CLI (`make package`): a prebuilt binary from the npm registry, not shipped.
  "@tauri-apps/cli",
  "svelte",
  "svelte-check",
  "typescript",
  "vite",
  "vitest",
];

// Reviewed install scripts. They never run: scripts/install-deps.sh installs with
// --ignore-scripts (esbuild's only checks its platform binary, which npm installs anyway).
const INSTALL_SCRIPTS_REVIEWED = ["node_modules/esbuild"];

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const problems = [];
const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
if (!same(Object.keys(pkg.dependencies ?? {}), RUNTIME)) {
  problems.push(`runtime dependencies are ${Object.keys(pkg.dependencies ?? {}).join(", ")}; reviewed: ${RUNTIME.join(", ")}`);
}
if (!same(Object.keys(pkg.devDependencies ?? {}), BUILD_TOOLS)) {
  problems.push(`build tools are ${Object.keys(pkg.devDependencies ?? {}).join(", ")}; reviewed: ${BUILD_TOOLS.join(", ")}`);
}
const locked = Object.entries(lock.packages ?? {}).filter(([path, p]) => path !== "" && !p.link);
for (const [path, p] of locked) {
  if (!p.integrity) problems.push(`${path} has no integrity hash in package-lock.json`);
  if (p.hasInstallScript && !INSTALL_SCRIPTS_REVIEWED.includes(path)) problems.push(`${path} has an install script`);
}
if (problems.length) {
  console.error("npm dependencies need a review:\n  " + problems.join("\n  "));
  process.exit(1);
}
console.log(
  `npm: ${RUNTIME.length} runtime package, ${BUILD_TOOLS.length} build tools, ${locked.length} locked packages, all with integrity hashes, no install script run`,
);
