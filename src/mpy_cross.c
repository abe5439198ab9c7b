#include "mpy_cross.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static bool executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static int split_args(mr_mpy_cross *mc, const char *args, mr_err *err)
{
    if (!args)
        return 0;
    if (strlen(args) > 4096)
        return mr_fail(err, "--mpy-cross-args is longer than 4096 bytes");
    const char *p = args;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        const char *q = p;
        while (*q && *q != ' ' && *q != '\t' && *q != '\n')
            q++;
        char **v = realloc(mc->extra, (mc->nextra + 1) * sizeof *v);
        if (!v)
            return mr_fail(err, "out of memory");
        mc->extra = v;
        if (!(mc->extra[mc->nextra] = strndup(p, (size_t)(q - p))))
            return mr_fail(err, "out of memory");
        mc->nextra++;
        p = q;
    }
    return 0;
}

int mr_mpy_cross_find(mr_mpy_cross *mc, const char *args, bool *found, mr_err *err)
{
    memset(mc, 0, sizeof *mc);
    *found = false;
    const char *env = getenv("MPY_CROSS");
    if (env && *env) {
        if (!executable(env))
            return mr_fail(err, "MPY_CROSS=%s is not an executable file", env);
        mc->exe = strdup(env);
    } else {
        const char *path = getenv("PATH");
        if (!path)
            path = "/usr/bin:/bin";
        while (!mc->exe) {
            const char *colon = strchr(path, ':');
            size_t n = colon ? (size_t)(colon - path) : strlen(path);
            char *cand = malloc(n + sizeof "/mpy-cross" + 1);
            if (!cand)
                return mr_fail(err, "out of memory");
            snprintf(cand, n + sizeof "/mpy-cross" + 1, "%.*s/mpy-cross", (int)(n ? n : 1), n ? path : ".");
            if (executable(cand))
                mc->exe = cand;
            else
                free(cand);
            if (!colon)
                break;
            path = colon + 1;
        }
        if (!mc->exe)
            return 0;
    }
    if (!mc->exe)
        return mr_fail(err, "out of memory");
    if (split_args(mc, args, err) != 0) {
        mr_mpy_cross_free(mc);
        return -1;
    }
    *found = true;
    return 0;
}

void mr_mpy_cross_free(mr_mpy_cross *mc)
{
    free(mc->exe);
    for (size_t i = 0; i < mc->nextra; i++)
        free(mc->extra[i]);
    free(mc->extra);
    memset(mc, 0, sizeof *mc);
}

/* Read the child's output, keeping the first cap-1 bytes; drain the rest. */
static void collect(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    char sink[4096];
    for (;;) {
        char *dst = n + 1 < cap ? buf + n : sink;
        size_t room = n + 1 < cap ? cap - 1 - n : sizeof sink;
        ssize_t r = read(fd, dst, room);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (dst != sink)
            n += (size_t)r;
    }
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    buf[n] = '\0';
}

int mr_mpy_cross_compile(mr_mpy_cross *mc, const char *src, const char *source_name, const char *out,
                         mr_err *err)
{
    size_t argc = 0;
    char **argv = calloc(mc->nextra + 8, sizeof *argv);
    if (!argv)
        return mr_fail(err, "out of memory");
    argv[argc++] = mc->exe;
    for (size_t i = 0; i < mc->nextra; i++)
        argv[argc++] = mc->extra[i];
    argv[argc++] = "-o";
    argv[argc++] = (char *)out;
    argv[argc++] = "-s";
    argv[argc++] = (char *)source_name;
    argv[argc++] = (char *)src;
    argv[argc] = NULL;

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        free(argv);
        return mr_fail_errno(err, "cannot run %s", mc->exe);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    pid_t pid;
    int rc = posix_spawn(&pid, mc->exe, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(argv);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        errno = rc;
        return mr_fail_errno(err, "cannot run %s", mc->exe);
    }
    char output[768];
    collect(fds[0], output, sizeof output);
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return mr_fail_errno(err, "waiting for %s", mc->exe);
    if (WIFSIGNALED(status))
        return mr_fail(err, "mpy-cross was killed by signal %d while compiling %s%s%s", WTERMSIG(status), src,
                       *output ? ":\n" : "", output);
    if (WEXITSTATUS(status) != 0)
        return mr_fail(err, "mpy-cross could not compile %s (exit status %d)%s%s", src, WEXITSTATUS(status),
                       *output ? ":\n" : "", output);
    /* A compiler that claims success must have written a .mpy. */
    FILE *f = fopen(out, "rb");
    unsigned char h[2] = {0, 0};
    size_t got = f ? fread(h, 1, 2, f) : 0;
    if (f)
        fclose(f);
    if (got < 2 || h[0] != 'M')
        return mr_fail(err, "mpy-cross reported success on %s but wrote no .mpy file to %s", src, out);
    mc->compiled++;
    return 0;
}
