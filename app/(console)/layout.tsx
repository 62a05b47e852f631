import { LiveStoreProvider } from "@/components/live-store";
import { Nav } from "@/components/shell/nav";
import { ConnectionBanner } from "@/components/shell/connection-banner";
import { ChangeRunnerProvider } from "@/components/preview/change-runner";
import { earlySocketScript } from "@/components/early-socket";

export default function ConsoleLayout({ children }: { children: React.ReactNode }) {
  return (
    <LiveStoreProvider>
      {/* opens /ws while the page loads, so the snapshot is here when the store starts */}
      <script dangerouslySetInnerHTML={{ __html: earlySocketScript }} />
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
  );
}
