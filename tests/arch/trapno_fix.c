/* trapno_fix.c - LD_PRELOAD library for 32-bit Wine under qemu-user.
 *
 * qemu-user (7.2) leaves sigcontext.trapno at -1 in the signal frames it
 * builds for i386 programs. Wine's i386 signal handler decides from trapno
 * what a fault was (14: page fault, an access violation); with -1 every
 * fault becomes STATUS_ILLEGAL_INSTRUCTION (0xC000001D). This library wraps
 * sigaction() for the five signals Wine uses for exceptions and, before
 * Wine's handler runs, sets trapno from the signal and its si_code where it
 * is outside 0..31, as the kernel would have.
 *
 * Built for i386 by tests/arch/setup-x86.sh. The x86_64 library of the same
 * name is empty (built with -DEMPTY), so that LD_PRELOAD with $LIB in its
 * path is harmless in the 64-bit processes (wineserver, the 64-bit loader).
 *
 * No system headers: Debian's amd64 host has no i386 libc headers, so the
 * few declarations needed are written here for the i386 Linux ABI.
 */
#ifndef EMPTY

typedef unsigned int size_t32;

/* i386 Linux: struct sigaction as glibc lays it out. */
typedef struct {
    int si_signo, si_errno, si_code;
    int rest[29];
} siginfo32;
typedef struct {
    void *uc_link_and_flags[2];          /* uc_flags, uc_link */
    void *ss_sp; int ss_flags; size_t32 ss_size;
    int gregs[19];                       /* mcontext_t.gregs */
} ucontext32;
typedef void (*action_fn)(int, siginfo32 *, void *);
struct sigaction32 {
    action_fn sa_sigaction;              /* union with sa_handler */
    unsigned int sa_mask[32];            /* sigset_t: 1024 bits */
    int sa_flags;
    void (*sa_restorer)(void);
};

enum { SIGILL_ = 4, SIGTRAP_ = 5, SIGBUS_ = 7, SIGFPE_ = 8, SIGSEGV_ = 11 };
enum { SA_SIGINFO_ = 4, REG_TRAPNO_ = 12, SI_KERNEL_ = 0x80,
       FPE_INTDIV_ = 1, TRAP_TRACE_ = 2 };
#define RTLD_NEXT_ ((void *)-1l)

extern void *dlsym(void *handle, const char *name);

/* Wine's handlers, one per signal we wrap (index: signal number). */
static action_fn wine_handler[32];

/* The trap number the kernel would have stored for this signal. */
static int trap_for(int sig, const siginfo32 *info)
{
    switch (sig) {
    case SIGSEGV_: return info->si_code == SI_KERNEL_ ? 13 : 14;
    case SIGFPE_:  return info->si_code == FPE_INTDIV_ ? 0 : 16;
    case SIGILL_:  return 6;
    case SIGTRAP_: return info->si_code == TRAP_TRACE_ ? 1 : 3;
    case SIGBUS_:  return 17;
    }
    return -1;
}

/* Our handler: repair trapno if qemu left it out of range, then Wine's. */
static void fixing_handler(int sig, siginfo32 *info, void *context)
{
    ucontext32 *uc = (ucontext32 *)context;
    unsigned int trapno = (unsigned int)uc->gregs[REG_TRAPNO_];
    if (trapno > 31) uc->gregs[REG_TRAPNO_] = trap_for(sig, info);
    wine_handler[sig](sig, info, context);
}

/* sigaction(): for the five signals with an SA_SIGINFO handler, install
 * fixing_handler in its place and remember the real one. */
int sigaction(int sig, const struct sigaction32 *act, struct sigaction32 *old)
{
    static int (*real)(int, const struct sigaction32 *, struct sigaction32 *);
    struct sigaction32 mine;
    int wrapped = 0, rc;
    if (!real)
        real = (int (*)(int, const struct sigaction32 *, struct sigaction32 *))
            dlsym(RTLD_NEXT_, "sigaction");
    if (act && (act->sa_flags & SA_SIGINFO_) && act->sa_sigaction
        && (sig == SIGSEGV_ || sig == SIGILL_ || sig == SIGFPE_
            || sig == SIGTRAP_ || sig == SIGBUS_)) {
        mine = *act;
        mine.sa_sigaction = fixing_handler;
        wine_handler[sig] = act->sa_sigaction;
        act = &mine;
        wrapped = 1;
    }
    rc = real(sig, act, old);
    /* Report Wine's own handler back, not ours. */
    if (old && old->sa_sigaction == fixing_handler && !wrapped)
        old->sa_sigaction = wine_handler[sig];
    return rc;
}
#else
/* The x86_64 library: empty on purpose (see above). */
typedef int empty_translation_unit;
#endif
