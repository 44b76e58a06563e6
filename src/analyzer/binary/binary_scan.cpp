// Input selection and the per-image driver for the binary rules.
// Tested by tests/binary/.
#include "binary/binary_scan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "binary/pe_rules.h"

namespace nxpool::binary {
namespace {

namespace fs = std::filesystem;

// Largest image read: real drivers are a few MB; a multi-GB file named .sys
// is not something to load into memory.
constexpr std::uintmax_t kMaxImageBytes = 512ull << 20;

bool image_extension(const fs::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e == ".sys" || e == ".dll" || e == ".exe";
}

bool starts_with_mz(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  char b[2] = {};
  return in.read(b, 2) && b[0] == 'M' && b[1] == 'Z';
}

std::string display_path(const std::string& p) {
  std::error_code ec;
  fs::path rel = fs::path(p).lexically_normal();
  if (rel.is_absolute()) {
    fs::path r = rel.lexically_relative(fs::current_path(ec));
    if (!ec && !r.empty() && *r.begin() != "..") rel = r;
  }
  return rel.generic_string();
}

}  // namespace

std::vector<std::string> take_images(const std::vector<std::string>& paths, std::vector<std::string>& images) {
  std::vector<std::string> rest;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      rest.push_back(p);
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && image_extension(it->path())) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      images.insert(images.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec) && (image_extension(p) || starts_with_mz(p))) {
      images.push_back(p);
    } else {
      rest.push_back(p);
    }
  }
  return rest;
}

void scan_image(std::span<const std::uint8_t> data, const std::string& display, const BinaryOptions& opt,
                scan::ScanResult& out) {
  PeImage img;
  ParseError err;
  if (!parse_pe(data, img, err)) {
    model::InputDiagnostic d;
    d.loc.file = display;
    d.severity = model::Severity::Error;
    d.message = fmt::format("offset {:#x}: {}; image skipped", err.offset, err.message);
    out.diagnostics.push_back(std::move(d));
    return;
  }
  Emitter emit(display, opt, out);
  ImageFacts facts = facts_of(img, display);
  note_facts(facts, emit);
  check_sections(img, emit);
  check_iat(img, emit);
  check_relocs(img, emit);
  check_imports(img, emit);
  check_calls(img, data, emit);
  out.pe_images.push_back(std::move(facts));
}

void scan_images(const std::vector<std::string>& files, const BinaryOptions& opt, scan::ScanResult& out) {
  std::vector<std::uint8_t> buf;
  for (const std::string& f : files) {
    std::string display = display_path(f);
    std::error_code ec;
    std::uintmax_t size = fs::file_size(f, ec);
    std::ifstream in(f, std::ios::binary);
    if (ec || !in || size > kMaxImageBytes) {
      model::InputDiagnostic d;
      d.loc.file = display;
      d.message = ec || !in ? "cannot read the file; image skipped"
                            : fmt::format("{} bytes is larger than the {} MB limit for an image; skipped", size,
                                          kMaxImageBytes >> 20);
      out.diagnostics.push_back(std::move(d));
      continue;
    }
    buf.resize(size);
    in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(size));
    buf.resize(static_cast<std::size_t>(in.gcount()));
    out.files++;
    out.bytes += buf.size();
    scan_image(buf, display, opt, out);
  }
}

}  // namespace nxpool::binary
