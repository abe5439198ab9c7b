/* mpromfs sim serve DIR: the simulated board on a pseudo-terminal (see proto/serve.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_sim.h"
#include "serve.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mpromfs sim serve DIR [--link PATH] [--baud N] [--no-raw-paste]\n"
            "                             [--no-deflate] [--no-hashlib] [--no-uctypes]\n"
            "                             [--no-romfs] [-v]\n"
            "\n"
            "Serve the simulated board in DIR (made by 'mpromfs sim create') on a\n"
            "pseudo-terminal that answers like a MicroPython board: the REPL, the raw REPL\n"
            "with raw-paste mode, soft reset, and the vfs.rom_ioctl programs that mpremote's\n"
            "romfs commands and mpromfs's serial backend send. The pty's path is printed on\n"
            "the first line of stdout; the board runs until SIGINT or SIGTERM (or a power\n"
            "cut armed with 'mpromfs sim fault').\n"
            "\n"
            "  --link PATH     keep a symlink PATH -> the pty while serving\n"
            "  --baud N        pace the link at N baud both ways (10 bits a byte); default:\n"
            "                  the board's link fault, else unthrottled\n"
            "  --no-raw-paste  answer raw-paste requests with R\\x00 (old firmware)\n"
            "  --no-deflate    firmware without the deflate module\n"
            "  --no-hashlib    firmware without hashlib\n"
            "  --no-uctypes    firmware without uctypes\n"
            "  --no-romfs      firmware without vfs.rom_ioctl (ROMFS not enabled)\n"
            "  -v, --verbose   say on stderr what the board is doing\n"
            "\n"
            "Example: mpromfs sim serve board --link /tmp/board &\n"
            "         mpremote connect /tmp/board romfs query\n");
}

enum { O_LINK = 256, O_BAUD, O_NO_PASTE, O_NO_DEFLATE, O_NO_HASHLIB, O_NO_UCTYPES,
       O_NO_ROMFS, O_HELP };

int sim_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"link", required_argument, NULL, O_LINK},
        {"baud", required_argument, NULL, O_BAUD},
        {"no-raw-paste", no_argument, NULL, O_NO_PASTE},
        {"no-deflate", no_argument, NULL, O_NO_DEFLATE},
        {"no-hashlib", no_argument, NULL, O_NO_HASHLIB},
        {"no-uctypes", no_argument, NULL, O_NO_UCTYPES},
        {"no-romfs", no_argument, NULL, O_NO_ROMFS},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    serve_opts o = {.caps = py_all_caps(), .announce = stdout};
    bool verbose = false;
    mr_err err;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
        switch (c) {
        case O_LINK: o.link = optarg; break;
        case O_BAUD: {
            uint64_t b;
            if (cli_parse_u64(optarg, &b, &err) || b < 300 || b > 10000000)
                return cli_usage_error("sim serve", "--baud wants a rate from 300 to 10000000, not '%s'",
                                       optarg);
            o.baud = (uint32_t)b;
            break;
        }
        case O_NO_PASTE: o.caps.raw_paste = false; break;
        case O_NO_DEFLATE: o.caps.deflate = false; break;
        case O_NO_HASHLIB: o.caps.hashlib = false; break;
        case O_NO_UCTYPES: o.caps.uctypes = false; break;
        case O_NO_ROMFS: o.caps.romfs = false; break;
        case 'v': verbose = true; break;
        case O_HELP: usage(stdout); return 0;
        default:
            return cli_usage_error("sim serve", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("sim serve", "give exactly one board directory");
    o.dir = argv[optind];
    o.log = verbose ? stderr : NULL;
    if (serve_run(&o, &err))
        return cli_fail(&err);
    return 0;
}
