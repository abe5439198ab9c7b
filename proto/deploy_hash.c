/* Deciding which erase units already hold what the deploy would write there: the
 * board digests its units (one round trip for all of them) and the host digests the
 * target the same way. Reading back is the last resort, for firmware without
 * hashlib and binascii.crc32. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "deploy_internal.h"
#include "sha256.h"

void mr_deploy_digest(mr_hash_algo algo, const uint8_t *data, size_t len, uint8_t out[32])
{
    memset(out, 0, 32);
    if (algo == MR_HASH_SHA256) {
        mr_sha256(data, len, out);
        return;
    }
    uLong crc = crc32(0L, Z_NULL, 0);
    while (len > 0) { /* zlib takes uInt lengths */
        uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;
        crc = crc32(crc, data, n);
        data += n;
        len -= n;
    }
    out[0] = (uint8_t)(crc >> 24);
    out[1] = (uint8_t)(crc >> 16);
    out[2] = (uint8_t)(crc >> 8);
    out[3] = (uint8_t)crc;
}

void mr_deploy_unit_range(const mr_deploy_plan *plan, size_t u, size_t *start, size_t *end)
{
    size_t s = u * (size_t)plan->unit;
    size_t e = s + plan->unit;
    if (e > plan->target_len)
        e = plan->target_len;
    *start = s;
    *end = e;
}

/* Compare `count` groups of `per` consecutive units starting at unit `first` (every
 * group inside the image's units) with one board digest each: same[i] for group i. */
static int compare_groups(mr_device *dev, const mr_deploy_plan *plan, size_t first, size_t per, size_t count,
                          bool *same, mr_compare_how *how, mr_err *err)
{
    if ((uint64_t)per * plan->unit > UINT32_MAX)
        return mr_fail(err, "internal error: a hash range of %zu units is too large", per);
    uint8_t (*board)[32] = calloc(count, sizeof *board);
    if (!board)
        return mr_fail(err, "out of memory for %zu digests", count);
    mr_hash_algo algo = plan->caps.sha256 ? MR_HASH_SHA256 : MR_HASH_CRC32;
    if (mr_device_hash(dev, plan->part, (uint64_t)first * plan->unit, (uint32_t)(per * plan->unit), count,
                       &algo, board, err) < 0) {
        free(board);
        return mr_wrap(err, "hashing units %zu-%zu of partition %u on the board", first,
                       first + per * count - 1, plan->part);
    }
    if (algo != MR_HASH_SHA256 && algo != MR_HASH_CRC32) {
        free(board);
        return mr_fail(err, "the board answered with an unknown hash algorithm");
    }
    for (size_t i = 0; i < count; i++) {
        size_t s, e, s2, e2;
        mr_deploy_unit_range(plan, first + i * per, &s, &e);
        mr_deploy_unit_range(plan, first + (i + 1) * per - 1, &s2, &e2);
        uint8_t mine[32];
        mr_deploy_digest(algo, plan->target + s, e2 - s, mine);
        same[i] = memcmp(mine, board[i], 32) == 0;
    }
    free(board);
    *how = algo == MR_HASH_SHA256 ? MR_COMPARE_SHA256 : MR_COMPARE_CRC32;
    return 0;
}

/* Per-unit digests for the units marked in want[first..first+count), one board call
 * per run of marked units, or one call over all of them when the runs are many. */
static int compare_marked(mr_device *dev, const mr_deploy_plan *plan, size_t first, size_t count,
                          const bool *want, bool *same, mr_compare_how *how, mr_err *err)
{
    size_t runs = 0, lo = count, hi = 0;
    for (size_t i = 0; i < count; i++)
        if (want[i]) {
            runs += i == 0 || !want[i - 1];
            lo = lo < i ? lo : i;
            hi = i + 1;
        }
    if (runs == 0)
        return 0;
    if (runs > MR_DEPLOY_MAX_HASH_CALLS) /* bounded round trips beat fewer digests */
        return compare_groups(dev, plan, first + lo, 1, hi - lo, same + lo, how, err);
    for (size_t i = 0; i < count;) {
        if (!want[i]) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < count && want[j])
            j++;
        if (compare_groups(dev, plan, first + i, 1, j - i, same + i, how, err) < 0)
            return -1;
        i = j;
    }
    return 0;
}

/* Two levels when the board holds an image (an update: most units are likely the
 * same): one digest per group of units, then per-unit digests only inside the
 * groups that differ. The reply shrinks from one digest per unit to a few dozen. */
static int compare_by_hash(mr_device *dev, const mr_deploy_plan *plan, size_t first, size_t count,
                           bool *same, mr_compare_how *how, mr_err *err)
{
    const size_t g = MR_DEPLOY_HASH_GROUP;
    bool *want = malloc(count);
    if (!want)
        return mr_fail(err, "out of memory");
    memset(want, 1, count);
    int rc = 0;
    size_t groups = count / g;
    if (plan->info.has_image && groups >= 4) {
        bool *gsame = calloc(groups, sizeof *gsame);
        rc = gsame ? compare_groups(dev, plan, first, g, groups, gsame, how, err) : mr_fail(err, "out of memory");
        for (size_t i = 0; rc == 0 && i < groups; i++)
            if (gsame[i]) {
                memset(want + i * g, 0, g);
                for (size_t u = 0; u < g; u++)
                    same[i * g + u] = true;
            }
        free(gsame);
    }
    if (rc == 0)
        rc = compare_marked(dev, plan, first, count, want, same, how, err);
    free(want);
    return rc;
}

int mr_deploy_compare_run(mr_device *dev, const mr_deploy_plan *plan, size_t first, size_t count, bool *same,
                          mr_err *err)
{
    mr_compare_how how;
    if (!(plan->caps.sha256 || plan->caps.crc32))
        return mr_fail(err, "internal error: the board cannot hash");
    return compare_groups(dev, plan, first, count, 1, same, &how, err);
}

static int compare_by_reading(mr_device *dev, const mr_deploy_plan *plan, size_t first, size_t count,
                              bool *same, mr_compare_how *how, mr_err *err)
{
    uint8_t *buf = malloc(plan->unit);
    if (!buf)
        return mr_fail(err, "out of memory for a %u-byte unit", plan->unit);
    for (size_t i = 0; i < count; i++) {
        size_t s, e;
        mr_deploy_unit_range(plan, first + i, &s, &e);
        if (mr_device_read(dev, plan->part, s, buf, e - s, err) < 0) {
            free(buf);
            return mr_wrap(err, "reading unit %zu of partition %u back", first + i, plan->part);
        }
        same[i] = memcmp(buf, plan->target + s, e - s) == 0;
    }
    free(buf);
    *how = MR_COMPARE_READBACK;
    return 0;
}

int mr_deploy_compare_units(mr_device *dev, const mr_deploy_plan *plan, size_t first, size_t count,
                            bool *same, mr_compare_how *how, mr_err *err)
{
    if (count == 0)
        return 0;
    if (first > plan->units || count > plan->units - first)
        return mr_fail(err, "units %zu+%zu are outside the image's %zu units", first, count, plan->units);
    if (plan->caps.sha256 || plan->caps.crc32)
        return compare_by_hash(dev, plan, first, count, same, how, err);
    return compare_by_reading(dev, plan, first, count, same, how, err);
}

const char *mr_compare_how_name(mr_compare_how how)
{
    switch (how) {
    case MR_COMPARE_SHA256: return "sha256";
    case MR_COMPARE_CRC32: return "crc32";
    case MR_COMPARE_READBACK: return "reading back";
    }
    return "?";
}
