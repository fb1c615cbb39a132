// confab-server admin: finds the command, parses the server's settings plus
// the command's options, opens the store and runs it.
#include "admin/admin_command.h"

#include "password_hasher.h"
#include "store/database_url.h"
#include "store/store_factory.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostInfo>
#include <QLoggingCategory>

#include <cstdio>

namespace confab::server::admin {
namespace {

QString overview()
{
    QString text = QStringLiteral(
        "Usage: confab-server admin <command> [options]\n\n"
        "Administers the database a server with the same --config/--db/CONFAB_* settings uses; the\n"
        "server may be running or stopped (docs/admin.md).\n\nCommands:\n");
    for (const AdminCommand& command : adminCommands())
        text += QStringLiteral("  %1 %2\n      %3\n")
                    .arg(QLatin1String(command.name), QLatin1String(command.usage),
                         QLatin1String(command.summary));
    text += QStringLiteral("\n\"confab-server admin <command> --help\" shows a command's options.\n"
                           "Exit codes: 0 ok, 1 failure, 2 usage error.\n");
    return text;
}

const AdminCommand* findCommand(const QString& name)
{
    for (const AdminCommand& command : adminCommands()) {
        if (name == QLatin1String(command.name))
            return &command;
    }
    return nullptr;
}

// Opens (and migrates) the database; admin changes name this process as
// their origin so that running servers act on them.
Result<std::shared_ptr<Store>> openStore(const QString& url)
{
    auto parsed = DatabaseUrl::parse(url);
    if (!parsed)
        return parsed.error();
    auto store = createStore(parsed.value());
    if (!store)
        return store.error();
    if (auto opened = store.value()->open(); !opened)
        return opened.error();
    store.value()->setChangeOrigin(QStringLiteral("admin-%1-%2")
                                       .arg(QHostInfo::localHostName())
                                       .arg(QCoreApplication::applicationPid()));
    return store;
}

} // namespace

int runAdmin(const QStringList& arguments)
{
    // The store's informational lines (opened, migrated) would clutter the output.
    QLoggingCategory::setFilterRules(QStringLiteral("confab.*.info=false\nconfab.*.debug=false"));
    const QStringList rest = arguments.mid(2);
    if (rest.isEmpty())
        return usageError(QStringLiteral("a command is missing; see confab-server admin --help"));
    if (rest.constFirst() == QLatin1String("--help") || rest.constFirst() == QLatin1String("-h") ||
        rest.constFirst() == QLatin1String("help")) {
        std::fputs(qPrintable(overview()), stdout);
        return kOk;
    }
    const AdminCommand* command = findCommand(rest.constFirst());
    if (!command)
        return usageError(
            QStringLiteral("unknown command \"%1\"; see confab-server admin --help").arg(rest.constFirst()));

    AdminRun run;
    ServerConfig::ToolArguments tool;
    tool.description = QStringLiteral("confab-server admin %1: %2\n\nThe server's settings below locate the "
                                      "database (--config, --db); see docs/admin.md.")
                           .arg(QLatin1String(command->name), QLatin1String(command->summary));
    tool.usage =
        QStringLiteral("admin %1 %2").arg(QLatin1String(command->name), QLatin1String(command->usage));
    if (command->options)
        tool.options = command->options();
    tool.read = [&run, &tool](const QCommandLineParser& parser) -> Result<void> {
        run.arguments = parser.positionalArguments().mid(2); // "admin", the command
        for (const QCommandLineOption& option : tool.options) {
            const QString name = option.names().constFirst();
            if (parser.isSet(name))
                run.options.insert(name, option.valueName().isEmpty() ? QString() : parser.value(name));
        }
        return {};
    };
    // "admin <command>" stay positional arguments; read() drops them.
    auto config = ServerConfig::fromArguments(arguments, QProcessEnvironment::systemEnvironment(), &tool);
    if (!config)
        return usageError(config.error().message);
    if (!config->exitText.isEmpty()) {
        std::fputs(qPrintable(config->exitText), stdout);
        return kOk;
    }
    if (run.arguments.size() != command->positionalCount)
        return usageError(QStringLiteral("usage: confab-server %1 (see --help)").arg(tool.usage));
    run.config = config.value();
    run.databaseUrl =
        run.config.databaseUrl.isEmpty() ? ServerConfig::defaultDatabaseUrl() : run.config.databaseUrl;
    if (!initCrypto())
        return fail(QStringLiteral("libsodium could not be initialised"));
    if (command->opensStore) {
        auto store = openStore(run.databaseUrl);
        if (!store)
            return fail(QStringLiteral("cannot open the database: %1").arg(store.error().message));
        run.store = store.value();
    }
    const int code = command->run(run);
    if (run.store)
        run.store->close();
    return code;
}

} // namespace confab::server::admin
