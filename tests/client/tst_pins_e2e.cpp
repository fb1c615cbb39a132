// Pins and the group directory (issue 15) through ChatClient against a real
// in-process server: an admin's pin reaches a member's client (the pins list
// and the message's PinnedRole) and unpinning takes it away; a member is not
// offered Pin; the 51st pin says why it failed. "Browse groups" finds a public
// group by any-case substring and never a private one; joining puts it in the
// room list and opens it; a group created public with a topic is listed so.
#include "client_app_fixture.h"

#include "public_rooms_model.h"
#include "room_list_model.h"

#include <QTest>

using namespace confab;
using namespace confab::test;
using confab::client::ChatClient;
using confab::client::MessageListModel;
using confab::client::MessageResultsModel;
using confab::client::PublicRoomsModel;

namespace {

bool ok(TestClient& client, const QString& type, const QJsonObject& payload)
{
    const QJsonObject reply = client.request(type, payload);
    return !reply.isEmpty() && typeOf(reply) != QLatin1String("error");
}

QList<Id> pinIds(ChatClient& client)
{
    QList<Id> ids;
    MessageResultsModel* model = client.pins()->model();
    for (int row = 0; row < model->rowCount(); ++row)
        ids.append(Id(model->index(row).data(MessageResultsModel::MessageIdRole).toDouble()));
    return ids;
}

bool pinnedInTimeline(ChatClient& client, qint64 messageId)
{
    MessageListModel* model = client.conversation()->messages();
    const int row = model->rowOfMessage(messageId);
    return row >= 0 && model->index(row).data(MessageListModel::PinnedRole).toBool();
}

bool canPinMessage(ChatClient& client, qint64 messageId)
{
    return client.composer()->actionRights(double(messageId)).value(QStringLiteral("pin")).toBool();
}

QStringList publicNames(ChatClient& client)
{
    QStringList names;
    PublicRoomsModel* model = client.rooms()->publicRooms();
    for (int row = 0; row < model->rowCount(); ++row)
        names.append(model->index(row).data(PublicRoomsModel::NameRole).toString());
    return names;
}

} // namespace

class TestPinsE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void adminPinReachesMember();
    void pinLimitSaysWhy();
    void browseAndJoin();
};

void TestPinsE2e::adminPinReachesMember()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    QVERIFY(mei && bob && carol);
    const qint64 team = createGroup(*mei, QStringLiteral("设计评审"), {bob->userId, carol->userId});
    QVERIFY(team);
    QVERIFY(ok(*mei, QStringLiteral("set_role"),
               {{QStringLiteral("roomId"), double(team)},
                {QStringLiteral("userId"), double(carol->userId)},
                {QStringLiteral("role"), QStringLiteral("admin")}}));
    const qint64 agenda = sendMessage(*mei, team, QStringLiteral("Agenda: 周一 10:00 <b>review</b>"));
    const qint64 reply = sendMessage(*bob, team, QStringLiteral("OK"));
    QVERIFY(agenda && reply);

    auto admin = ClientFixture::create(QStringLiteral("pins-carol"));
    auto member = ClientFixture::create(QStringLiteral("pins-bob"));
    QVERIFY(ClientFixture::signIn(*admin, server.url(), QStringLiteral("carol"), 1));
    QVERIFY(ClientFixture::signIn(*member, server.url(), QStringLiteral("bob"), 1));
    QVERIFY(ClientFixture::openRoom(*admin, team));
    QVERIFY(ClientFixture::openRoom(*member, team));

    // Who is offered Pin: the admin, not the member.
    QTRY_VERIFY(admin->pins()->canPin());
    QVERIFY(canPinMessage(*admin, agenda));
    QVERIFY(!member->pins()->canPin());
    QVERIFY(!canPinMessage(*member, agenda));
    QCOMPARE(member->pins()->count(), 0);

    admin->pins()->pin(double(agenda), true);
    QTRY_COMPARE(pinIds(*member), QList<Id>{agenda});
    QTRY_VERIFY(pinnedInTimeline(*member, agenda));
    QVERIFY(!pinnedInTimeline(*member, reply));
    QCOMPARE(member->pins()->count(), 1);
    QTRY_COMPARE(pinIds(*admin), QList<Id>{agenda});
    MessageResultsModel* pins = member->pins()->model();
    QCOMPARE(pins->index(0).data(MessageResultsModel::ContentRole).toString(),
             QStringLiteral("Agenda: 周一 10:00 <b>review</b>"));
    QCOMPARE(pins->index(0).data(MessageResultsModel::SenderNameRole).toString(), QStringLiteral("mei"));

    // Newest pin first.
    admin->pins()->pin(double(reply), true);
    QTRY_COMPARE(pinIds(*member), (QList<Id>{reply, agenda}));

    // A member's own attempt is refused by the server too (the view never offers it).
    member->pins()->pin(double(reply), false);
    QTRY_VERIFY(!member->account()->errorMessage().isEmpty());

    // Unpinned: gone from the list and the mark, on both clients.
    admin->pins()->pin(double(agenda), false);
    QTRY_COMPARE(pinIds(*member), QList<Id>{reply});
    QTRY_VERIFY(!pinnedInTimeline(*member, agenda));
    QTRY_COMPARE(pinIds(*admin), QList<Id>{reply});

    // A DM: either side may pin.
    const qint64 dm = openDm(*bob, mei->userId);
    const qint64 note = sendMessage(*mei, dm, QStringLiteral("the address"));
    QVERIFY(dm && note);
    QTRY_VERIFY(member->rooms()->model()->rowOf(dm) >= 0);
    QVERIFY(ClientFixture::openRoom(*member, dm));
    QTRY_VERIFY(member->pins()->canPin());
    QCOMPARE(member->pins()->count(), 0); // another room's pins
    QVERIFY(canPinMessage(*member, note));
    member->pins()->pin(double(note), true);
    QTRY_COMPARE(pinIds(*member), QList<Id>{note});
}

void TestPinsE2e::pinLimitSaysWhy()
{
    auto config = TestServer::fastSendersConfig();
    config.groupBurst = 1000;
    config.groupRatePerSecond = 1000;
    TestServer server(config);
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 team = createGroup(*mei, QStringLiteral("team"), {bob->userId});
    QVERIFY(team);
    const QList<qint64> ids = seedMessages(*mei, team, numbered(QStringLiteral("note"), 51));
    QCOMPARE(ids.size(), 51);
    for (int i = 0; i < 50; ++i)
        QVERIFY(ok(*mei, QStringLiteral("pin_message"),
                   {{QStringLiteral("messageId"), double(ids.at(i))}, {QStringLiteral("pinned"), true}}));

    auto client = ClientFixture::create(QStringLiteral("pins-limit"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, team));
    QTRY_COMPARE(client->pins()->count(), 50);
    client->pins()->pin(double(ids.last()), true);
    QTRY_COMPARE(client->account()->errorMessage(),
                 QStringLiteral("This conversation already has 50 pinned messages. Unpin one first."));
    QCOMPARE(client->pins()->count(), 50);
}

void TestPinsE2e::browseAndJoin()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto lena = server.user(QStringLiteral("lena"));
    QVERIFY(mei && lena);
    const QJsonObject created = mei->request(QStringLiteral("create_room"),
                                             {{QStringLiteral("name"), QStringLiteral("Design Review 设计")},
                                              {QStringLiteral("memberIds"), QJsonArray()},
                                              {QStringLiteral("topic"), QStringLiteral("Anyone may join")},
                                              {QStringLiteral("visibility"), QStringLiteral("public")}});
    const qint64 open = qint64(
        payloadOf(created).value(QLatin1String("room")).toObject().value(QLatin1String("id")).toDouble());
    QVERIFY(open);
    const qint64 secret = createGroup(*mei, QStringLiteral("Secret design"), {});
    QVERIFY(secret);

    auto client = ClientFixture::create(QStringLiteral("pins-browse"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("lena"), 0));
    PublicRoomsModel* found = client->rooms()->publicRooms();

    client->rooms()->listPublicRooms(QStringLiteral("DESIGN"));
    QTRY_COMPARE(publicNames(*client), QStringList{QStringLiteral("Design Review 设计")});
    QCOMPARE(found->index(0).data(PublicRoomsModel::TopicRole).toString(), QStringLiteral("Anyone may join"));
    QCOMPARE(found->index(0).data(PublicRoomsModel::MemberCountRole).toInt(), 1);
    QVERIFY(!found->index(0).data(PublicRoomsModel::JoinedRole).toBool());
    client->rooms()->listPublicRooms(QStringLiteral("secret"));
    QTRY_VERIFY(!found->loading());
    QCOMPARE(found->rowCount(), 0); // private: never listed

    client->rooms()->listPublicRooms(QStringLiteral("设"));
    QTRY_COMPARE(found->rowCount(), 1);
    client->rooms()->joinRoom(double(open));
    QTRY_VERIFY(client->rooms()->model()->rowOf(open) >= 0);
    QTRY_COMPARE(client->conversation()->roomId(), double(open));         // it opens
    QVERIFY(found->index(0).data(PublicRoomsModel::JoinedRole).toBool()); // Open instead of Join
    QVERIFY(client->rooms()->model()->rowOf(secret) < 0);

    // A group I create public, with a topic, is listed for others so.
    client->rooms()->createGroup(QStringLiteral("Lena's lunch"), {}, QStringLiteral("Fridays"), true);
    QTRY_COMPARE(client->rooms()->model()->rowCount(), 2);
    const QJsonObject listed = mei->request(QStringLiteral("list_public_rooms"),
                                            {{QStringLiteral("query"), QStringLiteral("LUNCH")}});
    const QJsonArray rooms = payloadOf(listed).value(QLatin1String("rooms")).toArray();
    QCOMPARE(rooms.size(), 1);
    QCOMPARE(rooms.at(0).toObject().value(QLatin1String("topic")).toString(), QStringLiteral("Fridays"));
}

QTEST_MAIN(TestPinsE2e)
#include "tst_pins_e2e.moc"
