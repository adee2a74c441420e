package org.vigil.users.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.users.Actor;
import org.vigil.api.users.Role;
import org.vigil.api.users.User;
import org.vigil.api.users.UserService;
import org.vigil.api.users.UsersException;


/** {@code vigil user add|passwd|role|remove|list}: the recorder's users, for its network API. */
@Component(service = VigilCommand.class)
public final class UserCommand implements VigilCommand {
    private final UserService users;

    @Activate
    public UserCommand(@Reference UserService users) {
        this.users = users;
    }

    @Override
    public String name() {
        return "user";
    }

    @Override
    public String summary() {
        return "add, list and remove the users of the recorder's network API, and set their passwords and roles";
    }

    @Override
    public String help() {
        return """
                Usage: vigil user list [--json]
                       vigil user add NAME --role admin|operator|viewer (--password-stdin | --password-file F)
                       vigil user passwd NAME (--password-stdin | --password-file F)
                       vigil user role NAME admin|operator|viewer
                       vigil user remove NAME

                The users who may use the recorder over the network. Roles: an admin does everything (users,
                settings, cameras, deletion); an operator views, exports, backs up and protects recordings; a viewer
                watches live and recorded video. The last admin cannot be removed or demoted while other users exist.

                Passwords (at least 8 characters) are never given on the command line, where every local user sees
                them in 'ps': --password-stdin asks for it (not shown) or reads the first line of standard input;
                --password-file F reads the first line of F, a file only you can read (chmod 600). Vigil keeps only a
                salted slow hash (PBKDF2-HMAC-SHA256), in users.db in the data directory, apart from the settings: a
                restored config.db never brings back a deleted user or an old password.
                Every change is written to the audit log ('vigil audit').

                Examples:
                  vigil user add alice --role admin --password-stdin
                  printf '%s\\n' "$PW" | vigil user add door-panel --role viewer --password-stdin
                  vigil user role bob operator
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        List<String> args = inv.args();
        if (args.isEmpty()) {
            throw CommandException.usage("Say what to do: vigil user list|add|passwd|role|remove; see 'vigil user"
                    + " --help'.");
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        Actor actor = Actor.local(System.getProperty("user.name", "unknown"));
        try {
            switch (verb) {
                case "list" -> {
                    CommandArgs a = CommandArgs.parse("user list", rest, Set.of(), Set.of("json"));
                    if (!a.positional().isEmpty()) {
                        throw CommandException.usage("'vigil user list' takes no names.");
                    }
                    return list(inv, inv.json() || a.flag("json"));
                }
                case "add" -> {
                    CommandArgs a = CommandArgs.parse("user add", rest, Set.of("role", "password-file"), Set.of());
                    String name = only(a, "user add NAME --role ROLE --password-stdin");
                    Role role = role(a.option("role").orElseThrow(() -> CommandException.usage("Give the user's"
                            + " role: --role admin, operator or viewer.")));
                    User u = users.add(name, role, password(inv, a), actor);
                    inv.out().println("Added " + u.role().id() + " '" + u.name() + "'.");
                    return 0;
                }
                case "passwd" -> {
                    CommandArgs a = CommandArgs.parse("user passwd", rest, Set.of("password-file"), Set.of());
                    String name = only(a, "user passwd NAME --password-stdin");
                    users.changePassword(name, password(inv, a), actor);
                    inv.out().println("Changed the password of '" + name + "'.");
                    return 0;
                }
                case "role" -> {
                    CommandArgs a = CommandArgs.parse("user role", rest, Set.of(), Set.of());
                    if (a.positional().size() != 2) {
                        throw CommandException.usage("Usage: vigil user role NAME admin|operator|viewer.");
                    }
                    String name = a.positional().get(0);
                    Role role = role(a.positional().get(1));
                    users.changeRole(name, role, actor);
                    inv.out().println("'" + name + "' is " + (role == Role.VIEWER ? "a " : "an ") + role.id() + ".");
                    return 0;
                }
                case "remove" -> {
                    CommandArgs a = CommandArgs.parse("user remove", rest, Set.of(), Set.of());
                    String name = only(a, "user remove NAME");
                    users.remove(name, actor);
                    inv.out().println("Removed the user '" + name + "'.");
                    return 0;
                }
                default -> throw CommandException.usage("Unknown 'vigil user " + verb + "'; it takes list, add,"
                        + " passwd, role or remove.");
            }
        } catch (UsersException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private int list(CommandInvocation inv, boolean json) throws UsersException {
        List<User> all = users.list();
        PrintWriter o = inv.out();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (User u : all) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", u.name());
                m.put("role", u.role().id());
                m.put("created", u.created());
                m.put("password_changed", u.passwordChanged());
                rows.add(m);
            }
            o.println(JsonOutput.write(Map.of("users", rows)));
        } else if (all.isEmpty()) {
            o.println("No users yet; 'vigil user add NAME --role admin --password-stdin' adds the first.");
        } else {
            int width = all.stream().mapToInt(u -> u.name().length()).max().orElse(4);
            for (User u : all) {
                o.printf("%-" + width + "s  %-8s  password set %s%n", u.name(), u.role().id(),
                        u.passwordChanged().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            }
        }
        o.flush();
        return 0;
    }

    private static String only(CommandArgs a, String usage) throws CommandException {
        if (a.positional().size() != 1) {
            throw CommandException.usage("Usage: vigil " + usage + ".");
        }
        return a.positional().get(0);
    }

    private static Role role(String value) throws CommandException {
        return Role.parse(value).orElseThrow(() -> CommandException.usage("There is no role '" + value + "'; the"
                + " roles are admin, operator and viewer."));
    }

    private static char[] password(CommandInvocation inv, CommandArgs a) throws CommandException {
        String file = a.option("password-file").orElseThrow(() -> CommandException.usage("Give the password with"
                + " --password-stdin (asked for, or read from standard input) or --password-file F; never on the"
                + " command line."));
        return PasswordFileReader.read(inv.resolvePath(file));
    }
}
