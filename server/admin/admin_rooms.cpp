// list-rooms.
#include "admin/admin_command.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace confab::server::admin {
namespace {

QList<QCommandLineOption> listOptions()
{
    return {jsonOption()};
}

QString kindName(RoomType type)
{
    return type == RoomType::Dm ? QStringLiteral("dm") : QStringLiteral("group");
}

int listRooms(AdminRun& run)
{
    auto rooms = run.store->listRoomSummaries();
    if (!rooms)
        return fail(rooms.error().message);
    if (run.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const RoomSummary& r : rooms.value())
            array.append(QJsonObject{{QStringLiteral("id"), r.id},
                                     {QStringLiteral("kind"), kindName(r.type)},
                                     {QStringLiteral("name"), r.name},
                                     {QStringLiteral("memberCount"), r.memberCount},
                                     {QStringLiteral("messageCount"), r.messageCount},
                                     {QStringLiteral("lastActivityAt"), r.lastActivityAt}});
        print(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)).trimmed());
        return kOk;
    }
    print(QStringLiteral("%1  %2  %3  %4  %5  %6")
              .arg(QStringLiteral("ID"), 6)
              .arg(QStringLiteral("KIND"), -5)
              .arg(QStringLiteral("NAME"), -30)
              .arg(QStringLiteral("MEMBERS"), 7)
              .arg(QStringLiteral("MESSAGES"), 9)
              .arg(QStringLiteral("LAST ACTIVITY")));
    for (const RoomSummary& r : rooms.value())
        print(QStringLiteral("%1  %2  %3  %4  %5  %6")
                  .arg(r.id, 6)
                  .arg(kindName(r.type), -5)
                  .arg(r.name.isEmpty() ? QStringLiteral("-") : r.name, -30)
                  .arg(r.memberCount, 7)
                  .arg(r.messageCount, 9)
                  .arg(formatTime(r.lastActivityAt)));
    return kOk;
}

} // namespace

AdminCommand listRoomsCommand()
{
    return {"list-rooms", "List the rooms: id, kind, name, members, messages, last activity",
            "",           0,
            listOptions,  listRooms};
}

} // namespace confab::server::admin
