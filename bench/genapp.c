/* genapp DIR BYTES SEED: a deterministic MicroPython application tree of about BYTES
 * bytes, shaped like real projects: main.py and boot.py, a lib/ of driver and helper
 * modules (Python source, ~60%), web assets (html/css/js, ~15%), data/ with JSON
 * configuration, a sine lookup table (int16) and a font bitmap (~25%). Content is
 * generated from a vocabulary, so it compresses like source code does, not like
 * random bytes or repeated text. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t state;
static uint32_t rnd(uint32_t n)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)(state % n);
}

static const char *words[] = {
    "value", "buf", "pin", "led", "i2c", "spi", "uart", "addr", "reg", "data", "count", "index",
    "timer", "sensor", "temp", "humidity", "pressure", "config", "state", "mode", "offset", "length",
    "result", "status", "frame", "pixel", "width", "height", "color", "channel", "sample", "rate",
    "level", "delay", "retry", "timeout", "callback", "handler", "message", "payload", "topic",
    "client", "server", "socket", "request", "response", "header", "scale", "gain", "calib",
};
#define NWORDS (sizeof words / sizeof words[0])

static const char *w(void) { return words[rnd(NWORDS)]; }

static FILE *create(const char *root, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        perror(path);
        exit(1);
    }
    return fp;
}

/* One Python module of about `bytes` bytes: imports, constants, a class or two. */
static void python(FILE *fp, long bytes)
{
    long start = ftell(fp);
    fprintf(fp, "# %s driver for the %s %s\n", w(), w(), w());
    fprintf(fp, "import time\nfrom machine import Pin, I2C\nimport struct\n\n");
    for (int i = 0; i < 4 + (int)rnd(6); i++)
        fprintf(fp, "_%s_%s = const(0x%02x)\n", w(), w(), rnd(256));
    while (ftell(fp) - start < bytes) {
        const char *cls = w();
        fprintf(fp, "\n\nclass %c%s%s:\n", cls[0] - 32, cls + 1, w());
        fprintf(fp, "    \"\"\"Read the %s %s and keep the last %s.\"\"\"\n\n", w(), w(), w());
        fprintf(fp, "    def __init__(self, %s, %s=0x%02x):\n", w(), w(), rnd(128));
        for (int i = 0; i < 2 + (int)rnd(4); i++)
            fprintf(fp, "        self._%s = %s\n", w(), w());
        for (int m = 0; m < 2 + (int)rnd(4); m++) {
            fprintf(fp, "\n    def %s_%s(self, %s):\n", w(), w(), w());
            for (int l = 0; l < 3 + (int)rnd(8); l++) {
                switch (rnd(6)) {
                case 0: fprintf(fp, "        %s = self._%s[%u] << %u | %s\n", w(), w(), rnd(8), rnd(16), w()); break;
                case 1: fprintf(fp, "        if %s > %u:\n            return None\n", w(), rnd(1000)); break;
                case 2: fprintf(fp, "        for %s in range(%u):\n            self._%s.append(%s)\n", w(), rnd(64), w(), w()); break;
                case 3: fprintf(fp, "        time.sleep_ms(%u)\n", rnd(500)); break;
                case 4: fprintf(fp, "        %s = struct.unpack('<%s', self._%s)\n", w(), rnd(2) ? "hh" : "HBB", w()); break;
                default: fprintf(fp, "        # %s the %s before the %s\n", w(), w(), w()); break;
                }
            }
            fprintf(fp, "        return %s\n", w());
        }
    }
}

static void web(FILE *fp, long bytes)
{
    long start = ftell(fp);
    fprintf(fp, "<!DOCTYPE html>\n<html><head><title>%s</title>\n<style>\n", w());
    while (ftell(fp) - start < bytes / 2)
        fprintf(fp, ".%s-%s { margin: %upx; color: #%06x; }\n", w(), w(), rnd(20), rnd(0x1000000));
    fprintf(fp, "</style></head><body>\n<script>\n");
    while (ftell(fp) - start < bytes)
        fprintf(fp, "function %s(%s) { return fetch('/api/%s?%s=' + %s).then(r => r.json()); }\n", w(), w(),
                w(), w(), w());
    fprintf(fp, "</script></body></html>\n");
}

static void mkdirs(const char *root, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: genapp DIR BYTES SEED\n");
        return 2;
    }
    const char *root = argv[1];
    long total = atol(argv[2]);
    state = strtoull(argv[3], NULL, 0) * 2654435761u + 88172645463325252ull;
    mkdirs(root, "");
    mkdirs(root, "lib");
    mkdirs(root, "www");
    mkdirs(root, "data");
    FILE *fp = create(root, "boot.py");
    fprintf(fp, "import gc\ngc.collect()\n");
    fclose(fp);
    fp = create(root, "main.py");
    python(fp, 1500);
    fclose(fp);

    long py = total * 60 / 100, webb = total * 15 / 100, data = total - py - webb;
    char rel[256];
    for (int i = 0; py > 0; i++) {
        long n = 2000 + rnd(6000);
        snprintf(rel, sizeof rel, "lib/%s_%d.py", w(), i);
        fp = create(root, rel);
        python(fp, n);
        py -= ftell(fp);
        fclose(fp);
    }
    for (int i = 0; webb > 0; i++) {
        snprintf(rel, sizeof rel, "www/%s_%d.html", w(), i);
        fp = create(root, rel);
        web(fp, 3000 + rnd(5000));
        webb -= ftell(fp);
        fclose(fp);
    }
    /* data: JSON configuration, an int16 sine table per channel, font bitmaps */
    fp = create(root, "data/config.json");
    fprintf(fp, "{\n");
    for (int i = 0; i < 40; i++)
        fprintf(fp, "  \"%s_%s\": %u,\n", w(), w(), rnd(100000));
    fprintf(fp, "  \"version\": 1\n}\n");
    data -= ftell(fp);
    fclose(fp);
    for (int i = 0; data > 0; i++) {
        snprintf(rel, sizeof rel, i % 2 ? "data/font_%d.bin" : "data/sine_%d.bin", i);
        fp = create(root, rel);
        long n = 2048 + rnd(6144);
        for (long j = 0; j < n / 2; j++) {
            int16_t v = i % 2 ? (int16_t)(rnd(3) ? 0 : rnd(65536)) /* sparse glyph rows */
                              : (int16_t)(32767.0 * sin(j * 6.283185307 / (64 + i)));
            fwrite(&v, sizeof v, 1, fp);
        }
        data -= ftell(fp);
        fclose(fp);
    }
    return 0;
}
