"use client";
import { Suspense } from "react";
import { useSearchParams } from "next/navigation";
import { LiveStoreProvider } from "@/components/live-store";
import { NocBoard } from "@/components/noc/noc-board";

function Noc() {
  // /noc?token=... : a read-only API token, so the wall screen needs no login.
  const token = useSearchParams().get("token") ?? undefined;
  return (
    <LiveStoreProvider token={token}>
      <NocBoard />
    </LiveStoreProvider>
  );
}

export default function NocPage() {
  return (
    <div className="noc min-h-screen bg-slate-950 text-slate-100">
      <Suspense>
        <Noc />
      </Suspense>
    </div>
  );
}
