/* abi_bridge.c - TEST-ONLY: printf, fprintf, wprintf, fwprintf, _vsnprintf
 * and _vsnwprintf for the ARM64 builds that run under Debian 12's arm64
 * Wine 8 (tests/arch/arm64/link.sh links it in unless --no-bridge). Never
 * part of a shipped exe: Windows' msvcrt, and a Wine whose DLLs are PE
 * (built with an ms_abi-aware compiler), take the Windows convention and
 * need no bridge. See docs/ARM64.md, known difference 2.
 *
 * Why. A Windows ARM64 caller of a variadic function passes every variadic
 * argument, doubles included, in x0-x7 and then on the stack, and its
 * va_list is a plain char * to those 8-byte slots (Microsoft Learn,
 * "Overview of ARM64 ABI conventions", "Addendum: Variadic functions").
 * Debian builds its arm64 Wine 8 with GCC as ELF .so files: the root's
 * msvcrt is usr/lib/aarch64-linux-gnu/wine/aarch64-unix/msvcrt.dll.so
 * (aarch64-windows/msvcrt.dll is a 2.5 KB PE stub). Wine's include/windef.h
 * makes WINAPIV (__cdecl) the Windows convention on aarch64 only
 *     # elif defined(__aarch64__) && defined (__GNUC__) && __has_attribute(ms_abi)
 *     #  define __stdcall __attribute__((ms_abi))
 * and __ms_va_list the Windows va_list only
 *     # elif (defined(__x86_64__) || (defined(__aarch64__) && __has_attribute(ms_abi))) && defined (__GNUC__)
 *     #  define __ms_va_list __builtin_ms_va_list
 *     # else
 *     #  define __ms_va_list va_list
 * and GCC has no ms_abi for aarch64; newer Wine's dlls/msvcrt/wcs.c
 * declares `int CDECL _vsnprintf( char *str, size_t len, const char
 * *format, va_list valist )`, the compiler's own va_list. So that msvcrt's
 * printf family is AAPCS64 (Linux), as `llvm-objdump -d` of the root's
 * msvcrt.dll.so shows: its printf stores q0-q7 and x1-x7 into an AAPCS64
 * va_list ("str q0, [sp, #80]" ... "bl vfprintf") and so takes each
 * double from q0-q7, and its _snprintf hands _vsnprintf a pointer to a
 * 32-byte AAPCS64 va_list struct ("mov x3, x8", x8 the struct). A Windows
 * char * read as that struct makes the first argument a pointer:
 * repro_vsnprintf.c faults reading 0x2A (its 42); repro_printf_doubles.c
 * prints garbage.
 *
 * How. Each function here takes the Windows convention (this file is
 * built for aarch64-pc-windows-msvc like the rest, so va_list and va_arg
 * are the Windows ones) and walks the format itself. Literal text goes to
 * the stream (fwrite, fputwc) or the buffer. Each conversion is formatted
 * on its own by msvcrt's _snprintf / _snwprintf, so every flag, width,
 * precision and length prefix keeps msvcrt's meaning, with ONE argument,
 * called through a fixed (non-variadic) prototype, where both conventions
 * agree: buffer, size and format in x0-x2, an integer, pointer or string
 * as a 64-bit integer in x3 (AAPCS64's va_arg takes it from the x3 slot),
 * a double in v0 (AAPCS64's va_arg takes the first double from v0). A
 * `*` width or precision is read from the arguments and written into the
 * conversion. %n is refused (-1). Return values are msvcrt's: printf and
 * co. the characters written, or -1 when a write failed (the stream's
 * error flag is set, so ferror still tells); _vsnprintf the characters
 * written, or -1 when they did not fit (the buffer then full, with no
 * NUL; a NUL only where there is room).
 *
 * MinGW-w64's headers are not included: they declare some of these
 * functions dllimport. The few declarations needed are below.
 */
#include <stdarg.h>
#include <stddef.h>

typedef struct _iobuf FILE;     /* msvcrt's; only pointers to it are used */

int __cdecl _snprintf(char *, size_t, const char *, ...);
int __cdecl _snwprintf(wchar_t *, size_t, const wchar_t *, ...);
size_t __cdecl fwrite(const void *, size_t, size_t, FILE *);
unsigned short __cdecl fputwc(wchar_t, FILE *);
FILE *__cdecl __acrt_iob_func(unsigned);        /* startup.c */
void *__cdecl malloc(size_t);
void __cdecl free(void *);
size_t __cdecl strlen(const char *);
size_t __cdecl wcslen(const wchar_t *);
int *__cdecl _errno(void);

/* msvcrt's _snprintf / _snwprintf with one argument, in the registers an
 * AAPCS64 variadic callee reads it from (above). */
typedef int (__cdecl *PIECE_INT_A)(char *, size_t, const char *, unsigned long long);
typedef int (__cdecl *PIECE_DBL_A)(char *, size_t, const char *, double);
typedef int (__cdecl *PIECE_INT_W)(wchar_t *, size_t, const wchar_t *, unsigned long long);
typedef int (__cdecl *PIECE_DBL_W)(wchar_t *, size_t, const wchar_t *, double);

#define SPEC_MAX 64                     /* Units of one conversion spec */
#define PIECE_LOCAL 256                 /* Units formatted without malloc */
#define PIECE_MAX (16u * 1024 * 1024)   /* Units of one conversion, at most */
#define WEOF_ ((unsigned short)0xFFFF)
#define EINVAL_ 22

/* Where formatted text goes: a stream, or a buffer of cchBuf units
 * (pBuf NULL: only counted). wide: the text is wchar_t, else char. */
typedef struct {
    int wide;
    FILE *f;
    void *pBuf;
    size_t cchBuf, cchDone;
    int nTotal;         /* Units produced */
    int bFailed;        /* A write failed, %n, or out of memory */
    int bTruncated;     /* The buffer was too small */
} SINK;

/* One conversion, parsed: its spec with `*` replaced by numbers, in
 * ASCII (every unit of a spec is), and what its argument is. */
typedef enum { ARG_NONE, ARG_INT, ARG_DOUBLE, ARG_COUNT } ARG_KIND;
typedef struct {
    char sz[SPEC_MAX];
    size_t cch;
    ARG_KIND kind;
    int bPlainS;        /* Exactly "%s": the string can be written as is */
    int bTooLong;
} SPEC;

/* Unit i of a char or wchar_t string. */
static unsigned UnitAt(const void *p, int wide, size_t i)
{
    return wide ? (unsigned)((const wchar_t *)p)[i] : (unsigned)(unsigned char)((const char *)p)[i];
}

/* Emit: n units of text to the sink; a stream write that fails sets
 * bFailed, a full buffer bTruncated (the units that fit are copied). */
static void Emit(SINK *s, const void *p, size_t n)
{
    size_t i, room;

    if (s->f != NULL) {
        if (!s->wide) {
            if (n > 0 && fwrite(p, 1, n, s->f) != n)
                s->bFailed = 1;
        } else {
            for (i = 0; i < n && !s->bFailed; i++)
                if (fputwc(((const wchar_t *)p)[i], s->f) == WEOF_)
                    s->bFailed = 1;
        }
    } else if (s->pBuf != NULL) {
        room = s->cchBuf - s->cchDone;
        if (n > room) {
            s->bTruncated = 1;
            n = room;
        }
        for (i = 0; i < n; i++) {
            if (s->wide)
                ((wchar_t *)s->pBuf)[s->cchDone + i] = ((const wchar_t *)p)[i];
            else
                ((char *)s->pBuf)[s->cchDone + i] = ((const char *)p)[i];
        }
        s->cchDone += n;
    }
    s->nTotal += (int)n;
}

/* Appends one ASCII character to the spec (marks it too long when full). */
static void SpecPut(SPEC *sp, char c)
{
    if (sp->cch + 1 >= SPEC_MAX) {
        sp->bTooLong = 1;
        return;
    }
    sp->sz[sp->cch++] = c;
    sp->sz[sp->cch] = '\0';
}

/* Appends a decimal number to the spec (a `*` read from the arguments). */
static void SpecPutNumber(SPEC *sp, int n)
{
    char digits[12];
    int i = 0;
    unsigned u = n < 0 ? 0u - (unsigned)n : (unsigned)n;

    if (n < 0)
        SpecPut(sp, '-');
    do {
        digits[i++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    while (i > 0)
        SpecPut(sp, digits[--i]);
}

/* ParseSpec: the conversion that starts at fmt[i] (a '%') into *sp, with
 * each `*` taken from *pap; returns the index just past it. */
static size_t ParseSpec(const void *fmt, int wide, size_t i, SPEC *sp, va_list *pap)
{
    unsigned c;
    int n;

    sp->cch = 0;
    sp->bTooLong = 0;
    sp->bPlainS = 0;
    SpecPut(sp, '%');
    i++;
    while ((c = UnitAt(fmt, wide, i)) == '-' || c == '+' || c == ' ' || c == '0' || c == '#') {
        SpecPut(sp, (char)c);
        i++;
    }
    if (c == '*') {
        SpecPutNumber(sp, va_arg(*pap, int));   /* Negative: '-', left-justified */
        c = UnitAt(fmt, wide, ++i);
    } else {
        for (; c >= '0' && c <= '9'; c = UnitAt(fmt, wide, ++i))
            SpecPut(sp, (char)c);
    }
    if (c == '.') {
        c = UnitAt(fmt, wide, ++i);
        if (c == '*') {
            n = va_arg(*pap, int);
            if (n >= 0) {               /* A negative precision is none */
                SpecPut(sp, '.');
                SpecPutNumber(sp, n);
            }
            c = UnitAt(fmt, wide, ++i);
        } else {
            SpecPut(sp, '.');
            for (; c >= '0' && c <= '9'; c = UnitAt(fmt, wide, ++i))
                SpecPut(sp, (char)c);
        }
    }
    /* Length prefixes: h hh l ll L w z t j I I32 I64. */
    while (c == 'h' || c == 'l' || c == 'L' || c == 'w' || c == 'z' || c == 't' || c == 'j' || c == 'I') {
        SpecPut(sp, (char)c);
        c = UnitAt(fmt, wide, ++i);
        if (sp->sz[sp->cch - 1] == 'I' && ((c == '6' && UnitAt(fmt, wide, i + 1) == '4')
                                           || (c == '3' && UnitAt(fmt, wide, i + 1) == '2'))) {
            SpecPut(sp, (char)c);
            SpecPut(sp, (char)UnitAt(fmt, wide, i + 1));
            i += 2;
            c = UnitAt(fmt, wide, i);
        }
    }
    switch (c) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
        sp->kind = ARG_DOUBLE;
        break;
    case 'd': case 'i': case 'o': case 'u': case 'x': case 'X': case 'c': case 'C':
    case 's': case 'S': case 'p': case 'Z':
        sp->kind = ARG_INT;
        break;
    case 'n':
        sp->kind = ARG_COUNT;
        break;
    default:                            /* "%%", or one msvcrt does not know */
        sp->kind = ARG_NONE;
        break;
    }
    if (c == 0)                         /* A '%' at the end: no type */
        return i;
    SpecPut(sp, c < 0x80 ? (char)c : '?');
    sp->bPlainS = sp->cch == 2 && c == 's';
    return i + 1;
}

/* FormatPiece: one conversion, by msvcrt's _snprintf (_snwprintf), with
 * its one argument (v, or d for a double), into the sink. The piece is
 * formatted into a local buffer, or a larger one while it does not fit. */
static void FormatPiece(SINK *s, const SPEC *sp, unsigned long long v, double d)
{
    union { char a[PIECE_LOCAL]; wchar_t w[PIECE_LOCAL]; } local;
    wchar_t wsz[SPEC_MAX];
    void *p = &local, *pHeap = NULL;
    size_t cch = PIECE_LOCAL, i;
    int n;

    for (i = 0; i <= sp->cch; i++)
        wsz[i] = (wchar_t)(unsigned char)sp->sz[i];
    for (;;) {
        if (!s->wide)
            n = sp->kind == ARG_DOUBLE ? ((PIECE_DBL_A)(void (*)(void))_snprintf)((char *)p, cch, sp->sz, d)
                                       : ((PIECE_INT_A)(void (*)(void))_snprintf)((char *)p, cch, sp->sz, v);
        else
            n = sp->kind == ARG_DOUBLE ? ((PIECE_DBL_W)(void (*)(void))_snwprintf)((wchar_t *)p, cch, wsz, d)
                                       : ((PIECE_INT_W)(void (*)(void))_snwprintf)((wchar_t *)p, cch, wsz, v);
        if (n >= 0 && (size_t)n <= cch) {
            Emit(s, p, (size_t)n);
            break;
        }
        free(pHeap);                    /* -1: did not fit; try 4 times larger */
        cch *= 4;
        pHeap = cch <= PIECE_MAX ? malloc(cch * (s->wide ? sizeof(wchar_t) : 1)) : NULL;
        if (pHeap == NULL) {
            s->bFailed = 1;
            break;
        }
        p = pHeap;
    }
    free(pHeap);
}

/* Walk: the whole format into the sink, the arguments taken from *pap;
 * stops at the first failure or when a buffer is full. */
static void Walk(SINK *s, const void *fmt, va_list *pap)
{
    size_t i = 0, lit = 0;
    unsigned c;
    SPEC sp;
    unsigned long long v;
    double d;

    for (;;) {
        c = UnitAt(fmt, s->wide, i);
        if (c != 0 && c != '%') {
            i++;
            continue;
        }
        Emit(s, s->wide ? (const void *)((const wchar_t *)fmt + lit) : (const void *)((const char *)fmt + lit), i - lit);
        if (c == 0 || s->bFailed || s->bTruncated)
            return;
        i = ParseSpec(fmt, s->wide, i, &sp, pap);
        lit = i;
        if (sp.bTooLong || sp.kind == ARG_COUNT) {      /* %n writes memory: refused */
            *_errno() = EINVAL_;
            s->bFailed = 1;
            return;
        }
        v = 0;
        d = 0.0;
        if (sp.kind == ARG_DOUBLE)
            d = va_arg(*pap, double);
        else if (sp.kind == ARG_INT)    /* Each takes one 8-byte slot: the whole slot */
            v = va_arg(*pap, unsigned long long);
        if (sp.bPlainS && v != 0)
            Emit(s, (const void *)(size_t)v, s->wide ? wcslen((const wchar_t *)(size_t)v) : strlen((const char *)(size_t)v));
        else
            FormatPiece(s, &sp, v, d);
        if (s->bFailed || s->bTruncated)
            return;
    }
}

/* To a stream: units written, or -1 when a write failed. Unlike msvcrt's
 * own printf, which locks the stream for the whole call, each piece is
 * its own write (MinGW-w64's x64 msvcrt import library, which implib.sh
 * copies, has no _lock_file); the demo prints from one thread at a time. */
static int ToStream(FILE *f, int wide, const void *fmt, va_list *pap)
{
    SINK s = { 0 };

    if (f == NULL) {
        *_errno() = EINVAL_;
        return -1;
    }
    s.wide = wide;
    s.f = f;
    Walk(&s, fmt, pap);
    return s.bFailed ? -1 : s.nTotal;
}

/* To a buffer, as msvcrt's _vsnprintf: units written, NUL added when
 * there is room; -1 when they did not fit (or %n). */
static int ToBuffer(void *pBuf, size_t cch, int wide, const void *fmt, va_list *pap)
{
    SINK s = { 0 };

    s.wide = wide;
    s.pBuf = pBuf;
    s.cchBuf = cch;
    Walk(&s, fmt, pap);
    if (pBuf != NULL && s.cchDone < cch) {
        if (wide)
            ((wchar_t *)pBuf)[s.cchDone] = 0;
        else
            ((char *)pBuf)[s.cchDone] = 0;
    }
    return s.bFailed || s.bTruncated ? -1 : s.nTotal;
}

int __cdecl printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = ToStream(__acrt_iob_func(1), 0, fmt, &ap);
    va_end(ap);
    return n;
}

int __cdecl fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = ToStream(f, 0, fmt, &ap);
    va_end(ap);
    return n;
}

int __cdecl wprintf(const wchar_t *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = ToStream(__acrt_iob_func(1), 1, fmt, &ap);
    va_end(ap);
    return n;
}

int __cdecl fwprintf(FILE *f, const wchar_t *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = ToStream(f, 1, fmt, &ap);
    va_end(ap);
    return n;
}

int __cdecl _vsnprintf(char *buf, size_t cch, const char *fmt, va_list ap)
{
    return ToBuffer(buf, cch, 0, fmt, &ap);
}

int __cdecl _vsnwprintf(wchar_t *buf, size_t cch, const wchar_t *fmt, va_list ap)
{
    return ToBuffer(buf, cch, 1, fmt, &ap);
}
