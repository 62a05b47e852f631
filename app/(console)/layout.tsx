import { LiveStoreProvider } from "@/components/live-store";
import { Nav } from "@/components/shell/nav";
import { ConnectionBanner } from "@/components/shell/connection-banner";
import { ChangeRunnerProvider } from "@/components/preview/change-runner";
import { EARLY_SOCKET_SCRIPT } from "@/components/early-socket";

export default function ConsoleLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
    {/* opens /ws while the bundle loads; the live store takes it over (components/early-socket.ts) */}
    <script dangerouslySetInnerHTML={{ __html: EARLY_SOCKET_SCRIPT }} />
    <LiveStoreProvider>
      <ChangeRunnerProvider>
      <div className="flex min-h-screen">
        <Nav />
        <div className="flex min-w-0 flex-1 flex-col">
          <ConnectionBanner />
          <main className="flex-1 px-6 py-5">{children}</main>
        </div>
      </div>
      </ChangeRunnerProvider>
    </LiveStoreProvider>
    </>
  );
}
