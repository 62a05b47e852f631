"use client";
// Add a host as ssh does on first contact: read the host's key, SHOW its
// fingerprint, and add (pin) it only after the admin confirms it is the one
// `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` prints on the host.
// A key the admin pinned that the host does not present is a loud error.

import { useState } from "react";
import {
  HostAddRequestSchema,
  HostAddResponseSchema,
  HostProbeRequestSchema,
  HostProbeResponseSchema,
  type HostAddRequest,
  type HostProbeResponse,
  type HostStatus,
} from "@/server/api/contract";
import { api, ApiError } from "../api";
import { Button, errorText } from "../ui/button";
import { Field, inputClass } from "../ui/field";

interface Draft {
  name: string;
  address: string;
  port: string;
  user: string;
  identity: string;
  hostKey: string;
}

const empty: Draft = { name: "", address: "", port: "22", user: "root", identity: "", hostKey: "" };

/** "ssh-ed25519 AAAA... comment" -> "ssh-ed25519 AAAA..." (the comment is not part of the key) */
const keyOf = (line: string) => line.trim().split(/\s+/).slice(0, 2).join(" ");

/** field -> message, from the contract's schema (the server checks again) */
function draftErrors(d: Draft): Partial<Record<keyof Draft, string>> {
  const out: Partial<Record<keyof Draft, string>> = {};
  const r = HostAddRequestSchema.safeParse(request(d));
  if (!r.success) for (const i of r.error.issues) out[String(i.path[0]) as keyof Draft] ??= i.message;
  if (d.port && (Number(d.port) < 1 || Number(d.port) > 65535)) out.port = "port: a number 1-65535";
  if (d.hostKey && !/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|rsa-sha2-(256|512))\s+[A-Za-z0-9+/=]+/.test(d.hostKey.trim()))
    out.hostKey = 'host key: the line of the host\'s .pub file, e.g. "ssh-ed25519 AAAA..."';
  return out;
}

function request(d: Draft): HostAddRequest {
  return {
    name: d.name.trim(),
    address: d.address.trim(),
    ...(d.port.trim() ? { port: d.port.trim() } : {}),
    ...(d.user.trim() ? { user: d.user.trim() } : {}),
    ...(d.identity.trim() ? { identity: d.identity.trim() } : {}),
    ...(d.hostKey.trim() ? { hostKey: keyOf(d.hostKey) } : {}),
  };
}

type Step = { kind: "edit" } | { kind: "probing" } | { kind: "confirm"; probe: HostProbeResponse } | { kind: "mismatch"; probe: HostProbeResponse } | { kind: "adding"; probe: HostProbeResponse };

export function AddHostForm({ onAdded, onCancel }: { onAdded: (h: HostStatus) => void; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(empty);
  const [touched, setTouched] = useState(false);
  const [step, setStep] = useState<Step>({ kind: "edit" });
  const [error, setError] = useState<{ text: string; field?: string; keyChanged: boolean } | null>(null);
  const errs = draftErrors(d);
  const invalid = Object.keys(errs).length > 0;
  const show = (k: keyof Draft) => (touched || d[k] !== empty[k] ? errs[k] : undefined);
  const locked = step.kind !== "edit";

  // an API error that names one of the form's fields is shown under it; others (and a changed key) above the buttons
  const errorField = error && !error.keyChanged ? ((error.field === "host-key" ? "hostKey" : error.field) as keyof Draft | undefined) : undefined;
  const onField = errorField && errorField in empty ? errorField : undefined;

  const fail = (e: unknown) => {
    const text = errorText(e);
    setError({ text, field: e instanceof ApiError ? e.field : undefined, keyChanged: /HOST KEY CHANGED/i.test(text) });
  };

  async function probe() {
    setTouched(true);
    setError(null);
    if (invalid) return;
    setStep({ kind: "probing" });
    try {
      const body = HostProbeRequestSchema.parse({ name: d.name.trim(), address: d.address.trim(), ...(d.port.trim() ? { port: d.port.trim() } : {}) });
      const p = HostProbeResponseSchema.parse(await api("POST", "/api/hosts/probe", body));
      // a key the admin pinned must be the one the host presents
      if (d.hostKey.trim() && keyOf(d.hostKey) !== keyOf(p.hostKey)) setStep({ kind: "mismatch", probe: p });
      else setStep({ kind: "confirm", probe: p });
    } catch (e) {
      fail(e);
      setStep({ kind: "edit" });
    }
  }

  async function add(p: HostProbeResponse) {
    setError(null);
    setStep({ kind: "adding", probe: p });
    try {
      // pin exactly the key that was shown (or the one the admin typed, which matched it)
      const r = HostAddResponseSchema.parse(await api("POST", "/api/hosts", { ...request(d), hostKey: d.hostKey.trim() ? keyOf(d.hostKey) : p.hostKey }));
      setD(empty);
      setTouched(false);
      setStep({ kind: "edit" });
      onAdded(r.host);
    } catch (e) {
      fail(e);
      setStep({ kind: "confirm", probe: p });
    }
  }

  const input = (k: keyof Draft, label: string, hint: string, placeholder = "", type = "text") => (
    <Field label={label} hint={hint} error={show(k) ?? (onField === k ? error?.text : undefined)}>
      <input
        className={inputClass}
        data-testid={`host-${k}`}
        aria-invalid={!!show(k)}
        type={type}
        value={d[k]}
        placeholder={placeholder}
        disabled={locked}
        onChange={(e) => setD({ ...d, [k]: e.target.value })}
      />
    </Field>
  );

  return (
    <form
      className="space-y-4"
      data-testid="add-host-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (step.kind === "edit") void probe();
      }}
    >
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        {input("name", "Name", "the node name in the CIB (as uname -n)", "node4")}
        {input("address", "Address", "IP address or DNS name sshd listens on", "192.0.2.14")}
        {input("port", "SSH port", "default 22", "22")}
        {input("user", "User", "who runs the agents (root, or a sudoer)", "root")}
        {input("identity", "Identity file", "private key on the controller's machine; empty: the controller's default", "/root/.ssh/id_ed25519")}
        {input("hostKey", "Host key (optional)", "pin it in advance: the host's /etc/ssh/ssh_host_ed25519_key.pub line", "ssh-ed25519 AAAA...")}
      </div>

      {error && !onField && (
        <div
          role="alert"
          data-testid={error.keyChanged ? "host-key-changed" : "add-host-error"}
          className={error.keyChanged ? "rounded-md border-2 border-red-600 bg-red-50 px-4 py-3 text-sm font-medium text-red-900" : "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"}
        >
          {error.keyChanged && <div className="mb-1 text-base font-bold tracking-wide uppercase">Host key changed — not added</div>}
          {error.text}
        </div>
      )}

      {step.kind === "mismatch" && (
        <div role="alert" data-testid="host-key-changed" className="rounded-md border-2 border-red-600 bg-red-50 px-4 py-3 text-sm text-red-900">
          <div className="mb-1 text-base font-bold tracking-wide uppercase">The host presents a different key</div>
          <p>
            You pinned a key, but <span className="font-mono">{d.address}:{d.port || 22}</span> presents <span className="font-mono">{step.probe.keyType}</span> key{" "}
            <span className="font-mono font-semibold" data-testid="host-fingerprint">{step.probe.fingerprint}</span>. Someone may be impersonating the host, or it was
            reinstalled. Check <span className="font-mono">ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</span> on the host. The host was not added.
          </p>
          <Button type="button" className="mt-2" data-testid="host-back" onClick={() => setStep({ kind: "edit" })}>
            Back to the form
          </Button>
        </div>
      )}

      {(step.kind === "confirm" || step.kind === "adding") && (
        <div data-testid="host-confirm" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
          <p className="font-medium">
            The authenticity of host &apos;{d.name} ({d.address})&apos; is shown by its key. {step.probe.keyType} key fingerprint is:
          </p>
          <p className="my-2 font-mono text-base font-semibold" data-testid="host-fingerprint">
            {step.probe.fingerprint}
          </p>
          <p>
            {d.hostKey.trim()
              ? "It is the key you pinned."
              : "Compare it with what ssh-keygen -lf /etc/ssh/ssh_host_" + (step.probe.keyType.replace(/^ssh-|-.*$/g, "") || "ed25519") + "_key.pub prints on the host. Vigil pins this key and refuses the host if it ever changes."}
          </p>
          <div className="mt-3 flex gap-2">
            <Button type="button" variant="primary" size="md" data-testid="host-confirm-add" disabled={step.kind === "adding"} onClick={() => void add(step.probe)}>
              {step.kind === "adding" ? "Connecting…" : "Yes, it matches: add the host"}
            </Button>
            <Button type="button" size="md" data-testid="host-confirm-cancel" disabled={step.kind === "adding"} onClick={() => setStep({ kind: "edit" })}>
              No, go back
            </Button>
          </div>
        </div>
      )}

      {step.kind === "edit" || step.kind === "probing" ? (
        <div className="flex gap-2">
          <Button type="submit" variant="primary" size="md" data-testid="host-probe" disabled={step.kind === "probing" || (touched && invalid)}>
            {step.kind === "probing" ? "Reading the host key…" : "Check host key…"}
          </Button>
          <Button type="button" size="md" onClick={onCancel} data-testid="host-add-cancel">
            Cancel
          </Button>
        </div>
      ) : null}
    </form>
  );
}
