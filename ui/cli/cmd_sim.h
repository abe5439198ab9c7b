/* `mpromfs sim SUB ...`: the subcommands of `sim`, each in the style of a command
 * (argv[0] is the subcommand's name, returns the exit code). cmd_sim.c dispatches
 * through a table; a subcommand implemented in another file declares itself here and
 * adds one line to that table. */
#ifndef MR_CMD_SIM_H
#define MR_CMD_SIM_H

/* sim_cmd_create.c, sim_cmd_info.c, sim_cmd_fault.c */
int sim_create(int argc, char **argv);
int sim_info(int argc, char **argv);
int sim_reset_counters(int argc, char **argv);
int sim_fault(int argc, char **argv);
/* The partition table, counters and faults of the board in dir, as `sim info` prints
 * them; 0, or 1 after printing the error. */
int sim_print_board(const char *dir);

/* `sim serve DIR ...`: the board on a pseudo-terminal (ui/cli/sim_serve.c). */
int sim_serve(int argc, char **argv);

#endif
