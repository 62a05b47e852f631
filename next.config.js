/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // VIGIL_SOURCEMAPS=1: browser source maps, for reading CPU profiles of the console (docs/performance-console.md)
  productionBrowserSourceMaps: process.env.VIGIL_SOURCEMAPS === "1",
  // VIGIL_NEXT_DIST lets two builds (e.g. a benchmark beside the e2e suite) live side by side.
  distDir: process.env.VIGIL_NEXT_DIST || ".next",
  // server/ is loaded by the custom server (server.ts), not bundled into routes.
  serverExternalPackages: ["node-ssh", "ssh2", "@node-rs/argon2"],
};
export default nextConfig;
