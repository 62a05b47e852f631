"use client";
import { HostsAdmin } from "@/components/hosts/hosts-admin";
import { PageTitle } from "@/components/ui/loading";

export default function HostsPage() {
  return (
    <div data-testid="hosts-page">
      <PageTitle sub="The machines Vigil manages over SSH: their connection, pinned host key and fencing.">Hosts</PageTitle>
      <HostsAdmin />
    </div>
  );
}
