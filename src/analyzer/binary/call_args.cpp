// Which constant each argument of an import call holds, for NX4006.
//
// One linear pass over each executable section with Capstone (x64, ARM64),
// keeping a small abstract state: for every general register either
// "unknown", a constant, an address (lea/adrp) or "the import at IAT slot
// N" (a pointer loaded from the IAT), and for x64 the constants stored to
// [rsp+disp] (the stack arguments from the fifth on). The state is exact on
// straight-line code and only forgets, never guesses:
//   - every register an instruction writes that we do not model becomes
//     unknown (Capstone's register-access lists, implicit writes included);
//   - after a call, an unconditional jump or a return, everything is unknown;
//   - at the target of any forward branch seen earlier (a merge point),
//     everything is unknown. A conditional branch keeps the state on its
//     fall-through path, which is exact.
// Backward branch targets (loop heads) are not known when the pass reaches
// them; a value set before a loop and used inside it after a back edge that
// changed it could be misread. Compilers set argument registers right
// before the call, after any loop head, so this has not been seen in
// practice. Calls are `call [rip+IAT]`, `call reg`, `jmp [rip+IAT]` (tail
// call) and calls to `jmp [rip+IAT]` thunks on x64; `blr`/`br` through a
// register loaded from the IAT on ARM64.
// Tested by tests/binary/rules_test.cpp (NX4006 cases on x64 and ARM64).
#include "binary/call_args.h"

#include <capstone/capstone.h>

#include <array>
#include <unordered_map>
#include <unordered_set>

namespace nxpool::binary {
namespace {

struct Val {
  enum Kind : std::uint8_t { Unknown, Const, Addr, Import } kind = Unknown;
  std::uint64_t v = 0;
};

constexpr int kRegs = 33;  // x64: 16 GPRs; ARM64: x0..x30 (+ spare)

struct State {
  std::array<Val, kRegs> r{};
  std::unordered_map<std::int64_t, Val> stack;  // x64 [rsp+disp]
  void clear() {
    r.fill(Val{});
    stack.clear();
  }
};

// x64 register -> (index, width in bytes), or index -1.
std::pair<int, int> x86_reg(unsigned reg) {
  static const unsigned r64[] = {X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX, X86_REG_RSP, X86_REG_RBP,
                                 X86_REG_RSI, X86_REG_RDI, X86_REG_R8,  X86_REG_R9,  X86_REG_R10, X86_REG_R11,
                                 X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15};
  static const unsigned r32[] = {X86_REG_EAX, X86_REG_ECX, X86_REG_EDX,  X86_REG_EBX,  X86_REG_ESP,  X86_REG_EBP,
                                 X86_REG_ESI, X86_REG_EDI, X86_REG_R8D,  X86_REG_R9D,  X86_REG_R10D, X86_REG_R11D,
                                 X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D};
  static const unsigned r16[] = {X86_REG_AX, X86_REG_CX, X86_REG_DX,   X86_REG_BX,   X86_REG_SP,   X86_REG_BP,
                                 X86_REG_SI, X86_REG_DI, X86_REG_R8W,  X86_REG_R9W,  X86_REG_R10W, X86_REG_R11W,
                                 X86_REG_R12W, X86_REG_R13W, X86_REG_R14W, X86_REG_R15W};
  static const unsigned r8[] = {X86_REG_AL, X86_REG_CL, X86_REG_DL,   X86_REG_BL,   X86_REG_SPL,  X86_REG_BPL,
                                X86_REG_SIL, X86_REG_DIL, X86_REG_R8B, X86_REG_R9B, X86_REG_R10B, X86_REG_R11B,
                                X86_REG_R12B, X86_REG_R13B, X86_REG_R14B, X86_REG_R15B};
  for (int i = 0; i < 16; ++i) {
    if (reg == r64[i]) return {i, 8};
    if (reg == r32[i]) return {i, 4};
    if (reg == r16[i]) return {i, 2};
    if (reg == r8[i]) return {i, 1};
  }
  if (reg == X86_REG_AH) return {0, 1};
  if (reg == X86_REG_CH) return {1, 1};
  if (reg == X86_REG_DH) return {2, 1};
  if (reg == X86_REG_BH) return {3, 1};
  return {-1, 0};
}

// ARM64 register -> (index, width), index 31 for the zero register.
std::pair<int, int> arm64_reg(unsigned reg) {
  if (reg >= ARM64_REG_W0 && reg <= ARM64_REG_W30) return {static_cast<int>(reg - ARM64_REG_W0), 4};
  if (reg >= ARM64_REG_X0 && reg <= ARM64_REG_X28) return {static_cast<int>(reg - ARM64_REG_X0), 8};
  if (reg == ARM64_REG_X29) return {29, 8};
  if (reg == ARM64_REG_X30) return {30, 8};
  if (reg == ARM64_REG_WZR) return {31, 4};
  if (reg == ARM64_REG_XZR) return {31, 8};
  return {-1, 0};
}

Val trunc(Val v, int width) {
  if (v.kind == Val::Const && width == 4) v.v &= 0xffffffffu;
  else if (v.kind != Val::Const && width != 8) v = Val{};
  return v;
}

class Walker {
 public:
  Walker(const PeImage& img, const std::function<bool(const Import&)>& wanted,
         const std::function<void(const ImportCall&)>& on_call)
      : img_(img), wanted_(wanted), on_call_(on_call) {
    for (std::size_t i = 0; i < img.imports.size(); ++i) slot_[img.imports[i].iat_rva] = i;
  }

  bool run(std::span<const std::uint8_t> data) {
    bool x64 = img_.machine == kMachineAmd64;
    if (!x64 && img_.machine != kMachineArm64) return false;
    csh h = 0;
    if (cs_open(x64 ? CS_ARCH_X86 : CS_ARCH_ARM64, x64 ? CS_MODE_64 : CS_MODE_ARM, &h) != CS_ERR_OK) return false;
    cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
    cs_insn* insn = cs_malloc(h);
    for (const Section& s : img_.sections) {
      if (!s.executable() || s.raw_size == 0) continue;
      std::uint32_t n = std::min(s.raw_size, s.extent());
      if (x64) find_thunks(data.subspan(s.raw_offset, n), s.virtual_address);
      const std::uint8_t* code = data.data() + s.raw_offset;
      std::size_t size = n;
      std::uint64_t addr = s.virtual_address;
      state_.clear();
      targets_.clear();
      while (size > 0) {
        if (targets_.count(addr)) state_.clear();
        if (!cs_disasm_iter(h, &code, &size, &addr, insn)) {
          // Data or padding in the code section: step over it and forget.
          std::size_t step = x64 ? 1 : 4;
          step = std::min(step, size);
          code += step;
          size -= step;
          addr += step;
          state_.clear();
          continue;
        }
        if (x64) step_x64(h, insn);
        else step_arm64(h, insn);
      }
    }
    cs_free(insn, 1);
    cs_close(&h);
    return true;
  }

 private:
  const PeImage& img_;
  const std::function<bool(const Import&)>& wanted_;
  const std::function<void(const ImportCall&)>& on_call_;
  std::unordered_map<std::uint64_t, std::size_t> slot_;   // IAT slot RVA -> import
  std::unordered_map<std::uint64_t, std::size_t> thunk_;  // x64 `jmp [rip+IAT]` RVA -> import
  std::unordered_set<std::uint64_t> targets_;             // forward branch targets
  State state_;

  // x64 import thunks are `jmp qword ptr [rip+disp32]` (FF 25): found by
  // pattern so that calls before the thunk can be resolved in one pass.
  void find_thunks(std::span<const std::uint8_t> code, std::uint32_t base) {
    for (std::size_t i = 0; i + 6 <= code.size(); ++i) {
      if (code[i] != 0xff || code[i + 1] != 0x25) continue;
      std::int32_t disp = static_cast<std::int32_t>(code[i + 2] | code[i + 3] << 8 | code[i + 4] << 16 |
                                                    static_cast<std::uint32_t>(code[i + 5]) << 24);
      std::uint64_t target = base + i + 6 + static_cast<std::int64_t>(disp);
      if (auto it = slot_.find(target); it != slot_.end()) thunk_[base + i] = it->second;
    }
  }

  void forget_written(csh h, const cs_insn* insn, bool x64) {
    cs_regs rd, wr;
    std::uint8_t nrd = 0, nwr = 0;
    if (cs_regs_access(h, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK) {
      state_.clear();
      return;
    }
    for (std::uint8_t i = 0; i < nwr; ++i) {
      int k = (x64 ? x86_reg(wr[i]) : arm64_reg(wr[i])).first;
      if (k >= 0 && k < 31) state_.r[k] = Val{};
      if (x64 && k == 4) state_.stack.clear();  // rsp moved: slots are elsewhere now
    }
  }

  void report(std::uint64_t at, std::size_t import, bool tail) {
    if (!wanted_(img_.imports[import])) return;
    ImportCall c;
    c.rva = static_cast<std::uint32_t>(at);
    c.import = import;
    bool x64 = img_.machine == kMachineAmd64;
    static const int x64_args[] = {1, 2, 8, 9};  // rcx, rdx, r8, r9
    for (int i = 0; i < 8; ++i) {
      Val v;
      if (!x64) v = state_.r[i];
      else if (i < 4) v = state_.r[x64_args[i]];
      else if (!tail) {
        auto it = state_.stack.find(0x20 + 8 * (i - 4));
        if (it != state_.stack.end()) v = it->second;
      }
      c.args[i] = {v.kind == Val::Const, v.v};
    }
    on_call_(c);
  }

  std::size_t import_at(std::uint64_t slot) const {
    auto it = slot_.find(slot);
    return it == slot_.end() ? SIZE_MAX : it->second;
  }

  void step_x64(csh h, const cs_insn* insn);
  void step_arm64(csh h, const cs_insn* insn);
};

void Walker::step_x64(csh h, const cs_insn* insn) {
  const cs_x86& x = insn->detail->x86;
  const cs_x86_op* op = x.operands;
  const std::uint64_t next = insn->address + insn->size;
  bool call = cs_insn_group(h, insn, CS_GRP_CALL);
  bool jump = cs_insn_group(h, insn, CS_GRP_JUMP);
  bool ret = cs_insn_group(h, insn, CS_GRP_RET);
  if (call || (insn->id == X86_INS_JMP && x.op_count == 1)) {
    std::size_t imp = SIZE_MAX;
    if (op[0].type == X86_OP_MEM && op[0].mem.base == X86_REG_RIP && op[0].mem.index == X86_REG_INVALID)
      imp = import_at(next + op[0].mem.disp);
    else if (op[0].type == X86_OP_REG) {
      int k = x86_reg(op[0].reg).first;
      if (k >= 0 && state_.r[k].kind == Val::Import) imp = state_.r[k].v;
    } else if (op[0].type == X86_OP_IMM) {
      if (auto it = thunk_.find(op[0].imm); it != thunk_.end()) imp = it->second;
      else if (!call && static_cast<std::uint64_t>(op[0].imm) > insn->address) targets_.insert(op[0].imm);
    }
    if (imp != SIZE_MAX) report(insn->address, imp, !call);
    state_.clear();
    return;
  }
  if (ret) {
    state_.clear();
    return;
  }
  if (jump) {  // conditional: the fall-through state stays exact
    if (x.op_count == 1 && op[0].type == X86_OP_IMM && static_cast<std::uint64_t>(op[0].imm) > insn->address)
      targets_.insert(op[0].imm);
    forget_written(h, insn, true);
    return;
  }
  // Stores to [rsp+disp]: the stack arguments.
  if (x.op_count == 2 && op[0].type == X86_OP_MEM && op[0].mem.base == X86_REG_RSP &&
      op[0].mem.index == X86_REG_INVALID) {
    Val v;
    if (insn->id == X86_INS_MOV) {
      if (op[1].type == X86_OP_IMM) v = {Val::Const, static_cast<std::uint64_t>(op[1].imm)};
      else if (op[1].type == X86_OP_REG) {
        auto [k, w] = x86_reg(op[1].reg);
        if (k >= 0) v = trunc(state_.r[k], w);
      }
      if (v.kind == Val::Const && op[0].size == 4) v.v &= 0xffffffffu;
    }
    state_.stack[op[0].mem.disp] = v;
    forget_written(h, insn, true);
    return;
  }
  if (x.op_count == 2 && op[0].type == X86_OP_REG) {
    auto [k, w] = x86_reg(op[0].reg);
    if (k >= 0 && w >= 4) {
      Val v;
      bool known = true;
      switch (insn->id) {
        case X86_INS_MOV:
        case X86_INS_MOVABS:
          if (op[1].type == X86_OP_IMM) v = {Val::Const, static_cast<std::uint64_t>(op[1].imm)};
          else if (op[1].type == X86_OP_REG) {
            auto [k2, w2] = x86_reg(op[1].reg);
            if (k2 >= 0) v = trunc(state_.r[k2], w2);
          } else if (op[1].type == X86_OP_MEM && op[1].mem.base == X86_REG_RIP && w == 8) {
            std::size_t imp = import_at(next + op[1].mem.disp);
            if (imp != SIZE_MAX) v = {Val::Import, imp};
          }
          break;
        case X86_INS_XOR:
          if (op[1].type == X86_OP_REG && op[1].reg == op[0].reg) v = {Val::Const, 0};
          break;
        case X86_INS_OR:
          if (op[1].type == X86_OP_IMM && state_.r[k].kind == Val::Const)
            v = {Val::Const, state_.r[k].v | static_cast<std::uint64_t>(op[1].imm)};
          break;
        case X86_INS_LEA:
          if (op[1].mem.base == X86_REG_RIP) v = {Val::Addr, next + op[1].mem.disp};
          break;
        default:
          known = false;
      }
      if (known) {
        v = trunc(v, w);
        forget_written(h, insn, true);
        state_.r[k] = v;
        return;
      }
    }
  }
  // Any other write into the argument area forgets that slot.
  for (std::uint8_t i = 0; i < x.op_count; ++i)
    if (op[i].type == X86_OP_MEM && op[i].mem.base == X86_REG_RSP) state_.stack.erase(op[i].mem.disp);
  forget_written(h, insn, true);
}

void Walker::step_arm64(csh h, const cs_insn* insn) {
  const cs_arm64& a = insn->detail->arm64;
  const cs_arm64_op* op = a.operands;
  switch (insn->id) {
    case ARM64_INS_BL:
      state_.clear();
      return;
    case ARM64_INS_BLR:
    case ARM64_INS_BR: {
      int k = a.op_count == 1 && op[0].type == ARM64_OP_REG ? arm64_reg(op[0].reg).first : -1;
      if (k >= 0 && k < 31 && state_.r[k].kind == Val::Import) report(insn->address, state_.r[k].v, insn->id == ARM64_INS_BR);
      state_.clear();
      return;
    }
    case ARM64_INS_RET:
      state_.clear();
      return;
    case ARM64_INS_B:
    case ARM64_INS_CBZ:
    case ARM64_INS_CBNZ:
    case ARM64_INS_TBZ:
    case ARM64_INS_TBNZ:
      for (std::uint8_t i = 0; i < a.op_count; ++i)
        if (op[i].type == ARM64_OP_IMM && static_cast<std::uint64_t>(op[i].imm) > insn->address && i + 1 == a.op_count)
          targets_.insert(op[i].imm);
      if (insn->id == ARM64_INS_B && a.cc == ARM64_CC_INVALID) state_.clear();
      else forget_written(h, insn, false);
      return;
    default:
      break;
  }
  if (a.op_count >= 2 && op[0].type == ARM64_OP_REG) {
    auto [k, w] = arm64_reg(op[0].reg);
    if (k >= 0 && k < 31) {
      Val v;
      bool known = true;
      std::uint64_t shift = op[1].shift.type == ARM64_SFT_LSL ? op[1].shift.value : 0;
      switch (insn->id) {
        case ARM64_INS_MOV:
        case ARM64_INS_MOVZ:
          if (op[1].type == ARM64_OP_IMM) v = {Val::Const, static_cast<std::uint64_t>(op[1].imm) << shift};
          else if (op[1].type == ARM64_OP_REG) {
            auto [k2, w2] = arm64_reg(op[1].reg);
            if (k2 == 31) v = {Val::Const, 0};
            else if (k2 >= 0) v = trunc(state_.r[k2], w2);
          }
          break;
        case ARM64_INS_MOVN:
          if (op[1].type == ARM64_OP_IMM) v = {Val::Const, ~(static_cast<std::uint64_t>(op[1].imm) << shift)};
          break;
        case ARM64_INS_MOVK:
          if (op[1].type == ARM64_OP_IMM && state_.r[k].kind == Val::Const && shift < 64)
            v = {Val::Const, (state_.r[k].v & ~(0xffffull << shift)) | (static_cast<std::uint64_t>(op[1].imm) << shift)};
          break;
        case ARM64_INS_ORR:
          if (a.op_count == 3 && op[1].type == ARM64_OP_REG && arm64_reg(op[1].reg).first == 31 &&
              op[2].type == ARM64_OP_IMM)
            v = {Val::Const, static_cast<std::uint64_t>(op[2].imm)};
          else if (a.op_count == 3 && op[1].type == ARM64_OP_REG && op[2].type == ARM64_OP_IMM) {
            int k2 = arm64_reg(op[1].reg).first;
            if (k2 >= 0 && k2 < 31 && state_.r[k2].kind == Val::Const)
              v = {Val::Const, state_.r[k2].v | static_cast<std::uint64_t>(op[2].imm)};
          }
          break;
        case ARM64_INS_ADRP:
        case ARM64_INS_ADR:
          if (op[1].type == ARM64_OP_IMM) v = {Val::Addr, static_cast<std::uint64_t>(op[1].imm)};
          break;
        case ARM64_INS_ADD:
          if (a.op_count == 3 && op[1].type == ARM64_OP_REG && op[2].type == ARM64_OP_IMM) {
            int k2 = arm64_reg(op[1].reg).first;
            if (k2 >= 0 && k2 < 31 && state_.r[k2].kind == Val::Addr)
              v = {Val::Addr, state_.r[k2].v + static_cast<std::uint64_t>(op[2].imm)};
          }
          break;
        case ARM64_INS_LDR:
          if (op[1].type == ARM64_OP_MEM && op[1].mem.index == ARM64_REG_INVALID && w == 8 && !a.writeback) {
            int k2 = arm64_reg(op[1].mem.base).first;
            if (k2 >= 0 && k2 < 31 && state_.r[k2].kind == Val::Addr) {
              std::size_t imp = import_at(state_.r[k2].v + static_cast<std::int64_t>(op[1].mem.disp));
              if (imp != SIZE_MAX) v = {Val::Import, imp};
            }
          } else {
            known = false;
          }
          break;
        default:
          known = false;
      }
      if (known) {
        v = trunc(v, w);
        forget_written(h, insn, false);
        state_.r[k] = v;
        return;
      }
    }
  }
  forget_written(h, insn, false);
}

}  // namespace

bool find_import_calls(const PeImage& img, std::span<const std::uint8_t> data,
                       const std::function<bool(const Import&)>& wanted,
                       const std::function<void(const ImportCall&)>& on_call) {
  Walker w(img, wanted, on_call);
  return w.run(data);
}

}  // namespace nxpool::binary
