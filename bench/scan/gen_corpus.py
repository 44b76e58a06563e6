#!/usr/bin/env python3
"""Generate a deterministic driver-like C/C++ tree for the scan benchmark.

The shape follows real WDK driver trees: many directories with a handful of
.c/.cpp files each, a project header per directory that opts in (or not)
before including a kernel header, CRLF in a fraction of files, long comment
blocks, SAL annotations, #if DBG / NTDDI_VERSION arms, helper macros that hide
allocations, and only a small fraction of lines touching pool APIs (as in
real drivers, where most code never allocates).

usage: gen_corpus.py OUTDIR [MEGABYTES]   (default 60)
"""
import os
import random
import sys

WORDS = ("device context request queue buffer length status irp mdl offset index count "
         "packet adapter miniport filter volume stream instance callback timer lock").split()


def ident(rng):
    return "".join(w.capitalize() for w in rng.sample(WORDS, 3))


def comment_block(rng):
    lines = ["/*++", "", "Routine Description:", ""]
    for _ in range(rng.randint(3, 10)):
        lines.append("    " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))) + ".")
    lines += ["", "Arguments:", "", "    Context - the device context (NonPagedPool is never used here).", "", "--*/"]
    return "\n".join(lines)


def function(rng, name, pool_line):
    body = []
    for _ in range(rng.randint(8, 30)):
        r = rng.random()
        v = ident(rng)
        if r < 0.25:
            body.append(f"    status = {v}(Context, {rng.randint(0, 4096)}, &{rng.choice(WORDS)});")
        elif r < 0.40:
            body.append(f"    if (!NT_SUCCESS(status)) {{\n        goto Exit;\n    }}")
        elif r < 0.55:
            body.append(f"    KdPrintEx((DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, \"{v}: %d\\n\", status));")
        elif r < 0.70:
            body.append(f"    RtlZeroMemory(&local{rng.randint(0, 9)}, sizeof(local{rng.randint(0, 9)}));")
        elif r < 0.80:
            body.append(f"#if DBG\n    {v}Trace(Context->{rng.choice(WORDS).capitalize()}Count);\n#endif")
        elif r < 0.90:
            body.append(f"    for (i = 0; i < Context->{rng.choice(WORDS).capitalize()}Count; ++i) {{\n"
                        f"        total += Context->Items[i].{rng.choice(WORDS).capitalize()};\n    }}")
        else:
            body.append(f"    // {' '.join(rng.choice(WORDS) for _ in range(8))}")
    if pool_line:
        body.insert(rng.randint(0, len(body)), pool_line)
    return (f"{comment_block(rng)}\n_IRQL_requires_max_(DISPATCH_LEVEL)\nNTSTATUS\n{name}(\n"
            f"    _In_ PDEVICE_CONTEXT Context\n    )\n{{\n    NTSTATUS status = STATUS_SUCCESS;\n    ULONG i, total = 0;\n"
            + "\n".join(body) + "\nExit:\n    return status;\n}\n")


POOL_LINES = [
    "    buffer = ExAllocatePoolWithTag(NonPagedPool, Context->Length, 'vrDx');",
    "    buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, Context->Length, 'vrDx');",
    "    buffer = ALLOC_NONPAGED(Context->Length);",
    "    va = MmGetSystemAddressForMdlSafe(Context->Mdl, NormalPagePriority | MdlMappingNoExecute);",
    "    ExInitializeNPagedLookasideList(&Context->Lookaside, NULL, NULL, POOL_NX_ALLOCATION, 256, 'vrDx', 0);",
    "    regs = MmMapIoSpaceEx(Context->Bar0, Context->Bar0Length, PAGE_READWRITE | PAGE_NOCACHE);",
]


def header(rng, mode):
    pre = {"optin": "#define POOL_NX_OPTIN 1\n", "auto": "#define POOL_NX_OPTIN_AUTO 1\n", "none": ""}[mode]
    macros = "\n".join(f"#define {ident(rng).upper()}_{i} {rng.randint(0, 1 << 16)}" for i in range(40))
    return (f"#pragma once\n#ifdef _KERNEL_MODE\n{pre}#include <ntddk.h>\n#include <wdf.h>\n#endif\n"
            f"#include <ntstrsafe.h>\n\n#define ALLOC_NONPAGED(n) ExAllocatePoolWithTag(NonPagedPoolNx, (n), 'vrDx')\n"
            f"{macros}\n\ntypedef struct _DEVICE_CONTEXT {{\n"
            + "".join(f"    ULONG {w.capitalize()}Count;\n" for w in WORDS)
            + "    PMDL Mdl;\n    PHYSICAL_ADDRESS Bar0;\n    SIZE_T Bar0Length;\n    ULONG Length;\n"
              "    NPAGED_LOOKASIDE_LIST Lookaside;\n} DEVICE_CONTEXT, *PDEVICE_CONTEXT;\n")


def main():
    out = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    rng = random.Random(20261125)
    total = 0
    d = 0
    while total < target * 1024 * 1024:
        dirname = os.path.join(out, f"driver{d:03d}")
        os.makedirs(dirname, exist_ok=True)
        mode = rng.choice(["optin", "auto", "none", "auto"])
        h = header(rng, mode)
        with open(os.path.join(dirname, "precomp.h"), "w") as f:
            f.write(h)
        total += len(h)
        for k in range(rng.randint(6, 14)):
            parts = ['#include "precomp.h"\n']
            if k == 0:
                parts.append("NTSTATUS\nDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)\n{\n"
                             + ("    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);\n" if mode == "optin" else "")
                             + "    return STATUS_SUCCESS;\n}\n")
            size = rng.randint(20_000, 70_000)
            n = 0
            while n < size:
                pool = rng.choice(POOL_LINES) if rng.random() < 0.3 else None
                fn = function(rng, f"{ident(rng)}{n}", pool)
                parts.append(fn)
                n += len(fn)
            text = "\n".join(parts)
            crlf = rng.random() < 0.3
            ext = ".cpp" if rng.random() < 0.2 else ".c"
            with open(os.path.join(dirname, f"file{k:02d}{ext}"), "w", newline="\r\n" if crlf else "\n") as f:
                f.write(text)
            total += len(text)
        d += 1
    print(f"{out}: {total / 1e6:.1f} MB in {d} directories")


if __name__ == "__main__":
    main()
