import { describe, expect, it } from "vitest";
import { digestParams, isStonithParam, opDigest, restartDigest, secureDigest, versionLess } from "./op-digest";

// Expected digests are ones Pacemaker 2.1.5 wrote into lrm_rsc_op entries of the
// shared scheduler cases (or crm_simulate computed for our own CIBs).
describe("op-digest", () => {
  it("matches Pacemaker's for an agent without parameters, and for a recurring op with its timeout", () => {
    expect(opDigest({}, 0, 20000)).toBe("f2317cad3d54cec5d7d7aa7d0bf35cf8");
    expect(opDigest({}, 10000, 20000)).toBe("4811cef7f7f94e3a35a70be7916cb2fd");
  });

  it("hashes the parameters sorted by name, whatever order they come in", () => {
    // a Filesystem resource's start (case novell-239087)
    expect(opDigest({ fstype: "reiserfs", directory: "/mnt/share1", device: "/dev/drbd0" }, 0, 20000)).toBe("e38fc095cd72534897b21e24a8484122");
    expect(opDigest({ device: "/dev/drbd0", directory: "/mnt/share1", fstype: "reiserfs" }, 0, 20000)).toBe("e38fc095cd72534897b21e24a8484122");
  });

  it("leaves meta attributes and bookkeeping names out", () => {
    expect(digestParams({ a: "1", CRM_meta_timeout: "5", on_node: "n1", crm_feature_set: "3.16.1" }, 0, 20000)).toEqual({ a: "1" });
    expect(opDigest({ a: "1", CRM_meta_interval: "10000" }, 0, 90000)).toBe(opDigest({ a: "1" }, 0, 20000));
    expect(digestParams({ a: "1" }, 10000, 15000)).toEqual({ a: "1", CRM_meta_timeout: "15000" });
  });

  it("restart digest covers only the parameters named in op-force-restart", () => {
    const before = { fake: "1", state: "/tmp/s" };
    expect(restartDigest(before, 0, 20000, " state ")).toBe(restartDigest({ fake: "2", state: "/tmp/s" }, 0, 20000, " state "));
    expect(restartDigest(before, 0, 20000, " state ")).not.toBe(restartDigest({ fake: "1", state: "/tmp/t" }, 0, 20000, " state "));
    // without the list it is the digest of everything
    expect(restartDigest(before, 0, 20000, undefined)).toBe(opDigest(before, 0, 20000));
  });

  it("secure digest leaves secrets (and, for old fencing histories, Pacemaker's pcmk_ parameters) out", () => {
    // fence_db1 of case on-fail-ignore: the CIB shows passwd="****"
    const params = {
      delay: "4",
      ipaddr: "192.168.103.3",
      lanplus: "1",
      login: "root",
      method: "onoff",
      passwd: "****",
      pcmk_host_check: "static-list",
      pcmk_host_list: "407888-db1",
      power_wait: "4",
    };
    const d = secureDigest(params, 0, 20000, " passwd  password ", { featureSet: "3.0.12", stonith: true });
    expect(d).toBe("d7ead554cd349871ab13dad142fdd3f9");
    expect(secureDigest({ ...params, passwd: "secret" }, 0, 20000, " passwd  password ", { featureSet: "3.0.12", stonith: true })).toBe(d);
    expect(secureDigest({ ...params, login: "admin" }, 0, 20000, " passwd  password ", { featureSet: "3.0.12", stonith: true })).not.toBe(d);
  });

  it("knows Pacemaker's fencing parameters and compares feature sets numerically", () => {
    expect(["pcmk_host_list", "pcmk_reboot_action", "pcmk_off_timeout", "pcmk_monitor_retries", "provides"].every(isStonithParam)).toBe(true);
    expect(["ipaddr", "pcmk_foo", "pcmk_host"].some(isStonithParam)).toBe(false);
    expect(versionLess("3.0.12", "3.16.0")).toBe(true);
    expect(versionLess("3.16.1", "3.16.0")).toBe(false);
    expect(versionLess("3.16.0", "3.16.0")).toBe(false);
  });
});
