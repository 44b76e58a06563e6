/*
 * nxpool/sal.h - source annotations (SAL) as no-ops.
 *
 * Driver code is full of _In_, _IRQL_requires_max_(...) and friends. Outside
 * the WDK nothing checks them, so each one expands to nothing; the analyzer
 * (`nxpool scan`) is what reads them. Each macro is defined only when no one
 * defined it before, so a real sal.h included first wins.
 */
#ifndef NXPOOL_SAL_H
#define NXPOOL_SAL_H


#ifndef _In_
#define _In_
#define _In_opt_
#define _Inout_
#define _Inout_opt_
#define _Out_
#define _Out_opt_
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Ret_opt_
#define _Must_inspect_result_
#define _Check_return_
#define _Success_(expr)
#define _Use_decl_annotations_
#define _Function_class_(name)
#define _Dispatch_type_(type)
#define _When_(cond, ann)
#define _At_(target, ann)
#define _Pre_
#define _Post_
#define _Pre_notnull_
#define _Post_invalid_
#define _Post_writable_byte_size_(size)
#define _Post_maybenull_
#define _Analysis_assume_(expr)
#define _Analysis_noreturn_
#define _In_reads_(size)
#define _In_reads_opt_(size)
#define _In_reads_bytes_(size)
#define _In_reads_bytes_opt_(size)
#define _Out_writes_(size)
#define _Out_writes_opt_(size)
#define _Out_writes_bytes_(size)
#define _Out_writes_bytes_opt_(size)
#define _Out_writes_bytes_to_(size, count)
#define _Inout_updates_(size)
#define _Inout_updates_bytes_(size)
#define _Field_size_(size)
#define _Field_size_bytes_(size)
#define _Field_size_bytes_part_(size, count)
#define _Field_range_(lo, hi)
#define _In_range_(lo, hi)
#define _Printf_format_string_
#define _Null_terminated_
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Reserved_
#define _Strict_type_match_
#define _Notliteral_
#define _IRQL_requires_(irql)
#define _IRQL_requires_max_(irql)
#define _IRQL_requires_min_(irql)
#define _IRQL_requires_same_
#define _IRQL_raises_(irql)
#define _IRQL_saves_
#define _IRQL_restores_
#define _IRQL_always_function_max_(irql)
#define _Kernel_requires_resource_held_(res)
#define _Requires_lock_held_(lock)
#define _Requires_lock_not_held_(lock)
#define _Acquires_lock_(lock)
#define _Releases_lock_(lock)
#define _Guarded_by_(lock)
#define _Interlocked_
#define _Interlocked_operand_
#define _Post_satisfies_(expr)
#define _Pre_satisfies_(expr)
#define _Points_to_data_
#define _Literal_
#endif

#ifndef __drv_allocatesMem
#define __drv_allocatesMem(kind)
#define __drv_freesMem(kind)
#define __drv_aliasesMem
#define __drv_when(cond, ann)
#define __drv_reportError(msg)
#define __drv_strictTypeMatch(mode)
#define __drv_maxIRQL(irql)
#define __drv_dispatchType(type)
#define __drv_requiresIRQL(irql)
#define __drv_sameIRQL
#define __drv_functionClass(name)
#endif

#ifndef IN
#define IN
#define OUT
#define OPTIONAL
#endif

#endif /* NXPOOL_SAL_H */
