#!/usr/bin/env python3
"""Groups the samples of folded stacks (scripts/flamegraph.py --folded) by where they end (leaf)."""
import re, sys
from collections import Counter, defaultdict

MALLOC = re.compile(r'^(__GI___libc_malloc|__GI___libc_free|__libc_malloc|__libc_free|malloc|free|cfree|_int_malloc|_int_free|_int_free_merge_chunk|_int_free_create_chunk|_int_free_maybe_consolidate|malloc_consolidate|unlink_chunk|tcache_get|tcache_put|tcache_get_n|tcache_put_n|sysmalloc|_int_realloc|__GI___libc_realloc|realloc|__libc_calloc|calloc|_int_memalign|_mid_memalign|__posix_memalign|aligned_alloc|alloc_perturb|operator new|operator delete|operator new\[\]|operator delete\[\]|checked_request2size|arena_get2|__malloc_arena_thread_freeres|systrim|__default_morecore|__GI___sbrk|__brk|grow_heap|new_heap|__GI___mprotect|__mprotect)(\b|$)')
STRINGS = re.compile(r'^(__mem\w*|mem(cpy|move|set|cmp)\w*|__str\w*|str(len|cmp)\w*|__wmem\w*|std::_Hash_bytes|std::__cxx11::basic_string|std::basic_string|std::char_traits|std::__cxx11::to_string|std::to_string|__GI_mem\w*|__GI_str\w*)')
HEAP_SYSCALLS = ('__x64_sys_mprotect', '__x64_sys_munmap', '__x64_sys_madvise', '__x64_sys_brk', '__x64_sys_mmap')
KERNEL_ENTRY = ('entry_SYSCALL_64_after_hwframe', 'entry_SYSCALL_64', 'asm_exc_page_fault', 'asm_common_interrupt', 'ret_from_fork', 'ret_from_fork_asm', 'entry_SYSCALL_64_safe_stack')
DISK = re.compile(r'^(__x64_sys_fdatasync|__x64_sys_fsync|__do_sys_fdatasync|do_fsync|vfs_fsync_range|ext4_\w*|jbd2\w*|__jbd2\w*|blk_\w*|submit_bio\w*|iowrite16|file_write_and_wait_range|filemap_write_and_wait_range|__x64_sys_pwrite64|__x64_sys_pread64|ksys_pwrite64|ksys_pread64|vfs_write|vfs_read|__x64_sys_write|__x64_sys_read|ksys_write|ksys_read|__x64_sys_fcntl|__x64_sys_openat|__x64_sys_unlink|__x64_sys_ftruncate|__x64_sys_newfstatat|__x64_sys_newfstat|__x64_sys_lseek)$')

def is_kernel_leaf(frames):
    for f in frames:
        if f in KERNEL_ENTRY or f.startswith('asm_sysvec_') or f.startswith('asm_'):
            return True
    return frames[-1] == '[kernel.kallsyms]'

def group(stack, mode):
    frames = stack.split(';')[1:]
    if not frames:
        return 'other'
    leaf = frames[-1]
    if is_kernel_leaf(frames):
        if 'asm_exc_page_fault' in frames or 'exc_page_fault' in frames:
            return 'page faults'
        if any(f in HEAP_SYSCALLS for f in frames):
            return 'page faults'
        if any(f.startswith('asm_sysvec_apic_timer_interrupt') or f == 'asm_common_interrupt' for f in frames):
            return 'kernel: interrupts'
        if any(DISK.match(f) for f in frames):
            return 'disk'
        if any(f.startswith('asm_sysvec_apic_timer_interrupt') or f == 'asm_common_interrupt' for f in frames):
            return 'kernel: interrupts'
        return 'kernel'
    if MALLOC.match(leaf):
        return 'malloc'
    if leaf.startswith('sqlite3') or leaf.startswith('[libsqlite3'):
        return 'SQLite'
    if leaf.startswith('boost::json') or leaf.startswith('[libboost_json'):
        return 'Boost.JSON'
    if STRINGS.match(leaf):
        return 'strings'
    if mode.get('matchcase_kit') and leaf.startswith('caf::trivial_match_case<esk::'):
        return 'kit'
    if leaf.startswith('caf::') or leaf.startswith('[libcaf_core') or leaf.startswith('void caf::') or leaf.startswith('bool caf::'):
        return 'CAF'
    if leaf.startswith('esk::') or leaf.startswith('users::') or leaf.startswith('[esk-bench') or 'esk::' in leaf.split('<')[0]:
        return 'kit'
    if leaf.startswith('non-virtual thunk to caf::'):
        return 'CAF'
    if leaf.startswith('std::') and not mode.get('std_to_caller'):
        return 'std'
    if mode.get('std_to_caller'):
        # a std:: template (hash table, list, function, shared_ptr) counts for the code that called it
        if leaf.startswith('std::'):
            for f in reversed(frames[:-1]):
                if f.startswith('std::'):
                    continue
                if f.startswith('caf::') or f.startswith('[libcaf_core'):
                    return 'CAF'
                if f.startswith('esk::') or f.startswith('users::'):
                    return 'kit'
                break
    return 'other'

ORDER = ['malloc', 'CAF', 'kernel', 'kernel: interrupts', 'kit', 'SQLite', 'disk', 'page faults', 'strings', 'Boost.JSON', 'std', 'other']

def main():
    mode = {k: True for k in sys.argv[2:]}
    counts = Counter()
    others = Counter()
    total = 0
    for line in open(sys.argv[1]):
        stack, n = line.rstrip('\n').rsplit(' ', 1)
        n = int(n)
        g = group(stack, mode)
        counts[g] += n
        total += n
        if g == 'other':
            others[stack.split(';')[-1][:90]] += n
    print('total', total)
    for g in ORDER:
        if counts[g]:
            print('%-34s %6d %5.1f %%' % (g, counts[g], 100.0 * counts[g] / total))
    if 'show_other' in mode:
        for name, n in others.most_common(25):
            print('   other: %5d %5.1f %% %s' % (n, 100.0 * n / total, name))

if __name__ == "__main__":
    main()
