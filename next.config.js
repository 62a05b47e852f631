/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // server/ is loaded by the custom server (server.ts), not bundled into routes.
  serverExternalPackages: ["node-ssh", "ssh2", "@node-rs/argon2"],
};
export default nextConfig;
