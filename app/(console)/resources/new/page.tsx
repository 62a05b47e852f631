"use client";
import { useLive } from "@/components/live-store";
import { CreateWizard } from "@/components/create/create-wizard";
import { Loading, PageTitle } from "@/components/ui/loading";

export default function NewResourcePage() {
  const { doc } = useLive();
  if (!doc) return <Loading />;
  return (
    <div data-testid="create-page">
      <PageTitle sub="Pick a preset or any agent; you see what the cluster would do before anything changes.">Create resource</PageTitle>
      <CreateWizard cib={doc.cib} />
    </div>
  );
}
