// Micro-benchmarks for the scan pipeline on one generated driver-like file
// (the shape gen_corpus.py writes): lexing alone, and a whole unit
// (preprocess + structure + rules) through scan(). Bytes/s are reported so
// the numbers compare with bench/scan/run.sh.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "lex/lexer.h"
#include "scan/scanner.h"

namespace {

std::string driver_text() {
  std::string s = "#define POOL_NX_OPTIN_AUTO 1\n#include <ntddk.h>\n";
  for (int i = 0; i < 400; ++i) {
    s += "/*++\nRoutine Description:\n    Handles request " + std::to_string(i) +
         " for the device context (NonPagedPool is never used here).\n--*/\n"
         "_IRQL_requires_max_(DISPATCH_LEVEL)\nNTSTATUS\nHandler" + std::to_string(i) +
         "(_In_ PDEVICE_CONTEXT Context)\n{\n    NTSTATUS status = STATUS_SUCCESS;\n"
         "    for (i = 0; i < Context->QueueCount; ++i) {\n        total += Context->Items[i].Length;\n    }\n"
         "#if DBG\n    DeviceTrace(Context->RequestCount);\n#endif\n"
         "    KdPrintEx((DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, \"status %d\\n\", status));\n";
    if (i % 4 == 0) s += "    buffer = ExAllocatePoolWithTag(NonPagedPool, Context->Length, 'vrDx');\n";
    s += "    return status;\n}\n";
  }
  return s;
}

void BM_Lexer(benchmark::State& state) {
  std::string text = driver_text();
  for (auto _ : state) {
    nxpool::lex::Lexer lx(text);
    std::size_t n = 0;
    while (lx.next().kind != nxpool::lex::TokenKind::Eof) ++n;
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Lexer);

void BM_ScanUnit(benchmark::State& state) {
  std::string dir = (std::filesystem::temp_directory_path() / "nxpool-scan-bench-XXXXXX").string();
  if (!mkdtemp(dir.data())) {
    state.SkipWithError("mkdtemp failed");
    return;
  }
  std::string text = driver_text();
  std::ofstream(dir + "/driver.c") << text;
  nxpool::scan::ScanOptions o;
  o.paths = {dir + "/driver.c"};
  o.jobs = 1;
  for (auto _ : state) benchmark::DoNotOptimize(nxpool::scan::scan({}, o));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ScanUnit);

}  // namespace

BENCHMARK_MAIN();
