/* select() straight to the kernel, preloaded before libfaketime for PostgreSQL's postmaster.
 *
 * libfaketime 0.9.10 wraps select() and sets its "don't fake" flag while the real call blocks.  A
 * PostgreSQL 15 postmaster sleeps in select() and does its work in signal handlers (a child's exit,
 * a shutdown request), so every line it logs from a handler ("database system is ready to accept
 * connections", "received fast shutdown request") carried the real date while its other lines and
 * its backends' carried the fake one.  Without the wrapper the handlers read the faked clock. */
#define _GNU_SOURCE
#include <sys/select.h>
#include <sys/syscall.h>
#include <unistd.h>

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout)
{
    return (int)syscall(SYS_select, nfds, readfds, writefds, exceptfds, timeout);
}
