/* `mpromfs sim SUB ...`: the subcommands of `sim`, each in the style of a command
 * (argv[0] is the subcommand's name, returns the exit code). cmd_sim.c dispatches
 * through a table; a subcommand implemented in another file declares itself here and
 * adds one line to that table. */
#ifndef MR_CMD_SIM_H
#define MR_CMD_SIM_H

/* `sim serve DIR ...`: the board on a pseudo-terminal (ui/cli/sim_serve.c). */
int sim_serve(int argc, char **argv);

#endif
