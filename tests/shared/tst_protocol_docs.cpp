// docs/protocol.md cannot drift from the code: every ```json block in it is
// parsed (it must be valid JSON) and round-tripped through the protocol
// types of shared/protocol/, and must come back as written, key order aside.
// An envelope goes through Envelope::parse, its payload through the
// request's fromPayload()/toPayload() or the reply's or event's
// fromPayload()/toPayload() (errors through errorFromPayload/errorEnvelope),
// and back through Envelope::make; a value object (user, room, message,
// mention) through fromJson()/toJson(). A block that is deliberately not an
// example is marked on the line before its fence:
//   <!-- not-an-example: why -->
// Each block is one data row named after its number, line and heading, and a
// failure says what to fix.
#include "protocol_fixture.h"

#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace {

struct Block {
    int number = 0;
    int line = 0;    // of the opening fence, 1-based
    QString heading; // the nearest heading above it
    QByteArray json;
    QString notAnExample; // the marker's reason, if marked
};

QString docsPath()
{
    return QStringLiteral(CONFAB_SOURCE_DIR "/docs/protocol.md");
}

QList<Block> jsonBlocks(const QString& markdown)
{
    static const QRegularExpression marker(QStringLiteral(R"(^<!--\s*not-an-example:\s*(.*?)\s*-->\s*$)"));
    QList<Block> blocks;
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    QString heading;
    for (int i = 0; i < lines.size(); ++i) {
        const QString& line = lines.at(i);
        if (line.startsWith(QLatin1Char('#'))) {
            heading = line.trimmed();
            continue;
        }
        if (line.trimmed() != QLatin1String("```json"))
            continue;
        Block block;
        block.number = int(blocks.size()) + 1;
        block.line = i + 1;
        block.heading = heading;
        if (i > 0) {
            const auto match = marker.match(lines.at(i - 1).trimmed());
            if (match.hasMatch())
                block.notAnExample = match.captured(1);
        }
        QStringList body;
        for (++i; i < lines.size() && lines.at(i).trimmed() != QLatin1String("```"); ++i)
            body.append(lines.at(i));
        block.json = body.join(QLatin1Char('\n')).toUtf8();
        blocks.append(block);
    }
    return blocks;
}

using Codec = std::function<Result<QJsonObject>(const QJsonObject&)>;

// The protocol type behind an envelope's payload; an empty codec for a type
// the code does not know. `payload` decides what `typing` is: the push has a
// userId, the request does not.
Codec codecFor(const QString& type, const QJsonObject& payload)
{
    static const QHash<QString, Codec> codecs{
        // client -> server
        {QStringLiteral("register"), viaPayload<RegisterRequest>},
        {QStringLiteral("login"), viaPayload<LoginRequest>},
        {QStringLiteral("auth"), viaPayload<AuthRequest>},
        {QStringLiteral("create_room"), viaPayload<CreateRoomRequest>},
        {QStringLiteral("open_dm"), viaPayload<OpenDmRequest>},
        {QStringLiteral("join_room"), viaPayload<RoomRefRequest>},
        {QStringLiteral("leave_room"), viaPayload<RoomRefRequest>},
        {QStringLiteral("send_message"), viaPayload<SendMessageRequest>},
        {QStringLiteral("fetch_messages"), viaPayload<FetchMessagesRequest>},
        {QStringLiteral("mark_read"), viaPayload<MarkReadRequest>},
        {QStringLiteral("list_mentions"), viaPayload<ListMentionsRequest>},
        {QStringLiteral("search_users"), viaPayload<SearchUsersRequest>},
        {QStringLiteral("search_messages"), viaPayload<SearchMessagesRequest>},
        {QStringLiteral("edit_message"), viaPayload<EditMessageRequest>},
        {QStringLiteral("delete_message"), viaPayload<DeleteMessageRequest>},
        {QStringLiteral("react"), viaPayload<ReactRequest>},
        {QStringLiteral("fetch_changes"), viaPayload<FetchChangesRequest>},
        {QStringLiteral("add_members"), viaPayload<AddMembersRequest>},
        {QStringLiteral("remove_member"), viaPayload<RemoveMemberRequest>},
        {QStringLiteral("set_role"), viaPayload<SetRoleRequest>},
        {QStringLiteral("transfer_ownership"), viaPayload<TransferOwnershipRequest>},
        {QStringLiteral("update_room"), viaPayload<UpdateRoomRequest>},
        {QStringLiteral("pin_message"), viaPayload<PinMessageRequest>},
        {QStringLiteral("list_pins"), viaPayload<ListPinsRequest>},
        {QStringLiteral("list_public_rooms"), viaPayload<ListPublicRoomsRequest>},
        {QStringLiteral("set_room_settings"), viaPayload<SetRoomSettingsRequest>},
        {QStringLiteral("fetch_receipts"), viaPayload<FetchReceiptsRequest>},
        {QStringLiteral("set_profile"), viaPayload<SetProfileRequest>},
        {QStringLiteral("change_password"), viaPayload<ChangePasswordRequest>},
        {QStringLiteral("set_avatar"), viaPayload<SetAvatarRequest>},
        {QStringLiteral("fetch_avatar"), viaPayload<FetchAvatarRequest>},
        {QStringLiteral("upload_file"), viaPayload<UploadFileRequest>},
        {QStringLiteral("cancel_upload"), viaPayload<CancelUploadRequest>},
        {QStringLiteral("fetch_file"), viaPayload<FetchFileRequest>},
        {QStringLiteral("cancel_fetch"), viaPayload<CancelFetchRequest>},
        // server -> client
        {QStringLiteral("auth_ok"), viaPayload<AuthOk>},
        {QStringLiteral("room"), viaPayload<RoomEvent>},
        {QStringLiteral("rooms"), viaPayload<RoomsReply>},
        {QStringLiteral("joined"), viaPayload<RoomIdPayload>},
        {QStringLiteral("room_left"), viaPayload<RoomLeftEvent>},
        {QStringLiteral("member_left"), viaPayload<MemberLeftEvent>},
        {QStringLiteral("message_ack"), viaPayload<MessageAck>},
        {QStringLiteral("message"), viaPayload<MessageEvent>},
        {QStringLiteral("history"), viaPayload<HistoryReply>},
        {QStringLiteral("read"), viaPayload<ReadEvent>},
        {QStringLiteral("mention"), viaPayload<MentionEvent>},
        {QStringLiteral("mentions"), viaPayload<MentionsReply>},
        {QStringLiteral("presence"), viaPayload<PresenceEvent>},
        {QStringLiteral("users"), viaPayload<UsersReply>},
        {QStringLiteral("search_results"), viaPayload<SearchResultsReply>},
        {QStringLiteral("message_updated"), viaPayload<MessageUpdatedEvent>},
        {QStringLiteral("reaction"), viaPayload<ReactionEvent>},
        {QStringLiteral("changes"), viaPayload<ChangesReply>},
        {QStringLiteral("member_joined"), viaPayload<MemberJoinedEvent>},
        {QStringLiteral("room_updated"), viaPayload<RoomUpdatedEvent>},
        {QStringLiteral("pins_changed"), viaPayload<PinsChangedEvent>},
        {QStringLiteral("pins"), viaPayload<PinsReply>},
        {QStringLiteral("public_rooms"), viaPayload<PublicRoomsReply>},
        {QStringLiteral("room_settings"), viaPayload<RoomSettingsEvent>},
        {QStringLiteral("receipts"), viaPayload<ReceiptsReply>},
        {QStringLiteral("receipt"), viaPayload<ReceiptEvent>},
        {QStringLiteral("user"), viaPayload<UserReply>},
        {QStringLiteral("user_updated"), viaPayload<UserUpdatedEvent>},
        {QStringLiteral("avatar"), viaPayload<AvatarReply>},
        {QStringLiteral("upload"), viaPayload<UploadReply>},
        {QStringLiteral("upload_progress"), viaPayload<UploadProgressEvent>},
        {QStringLiteral("upload_done"), viaPayload<UploadDoneEvent>},
        {QStringLiteral("file"), viaPayload<FileReply>},
        {QStringLiteral("error"),
         [](const QJsonObject& p) -> Result<QJsonObject> {
             const Result<Error> error = errorFromPayload(p);
             return error ? Result<QJsonObject>(errorEnvelope(error.value()).payload)
                          : Result<QJsonObject>(error.error());
         }},
    };
    // Types whose payload is always {} (docs: "Send {} when there are none").
    static const QStringList empty{QStringLiteral("list_rooms"), QStringLiteral("logout"),
                                   QStringLiteral("ping"), QStringLiteral("pong"), QStringLiteral("ok")};
    if (type == QLatin1String("typing"))
        return payload.contains(QLatin1String("userId")) ? Codec(viaPayload<TypingEvent>)
                                                         : Codec(viaPayload<TypingRequest>);
    if (empty.contains(type))
        return [](const QJsonObject& p) -> Result<QJsonObject> {
            if (!p.isEmpty())
                return makeError(ErrorCode::BadRequest, QStringLiteral("this type has no payload fields"));
            return QJsonObject();
        };
    return codecs.value(type);
}

QString compact(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// Keys whose values differ between the two objects (top level and one
// level into the payload), for a readable failure.
QStringList differences(const QJsonObject& want, const QJsonObject& got, const QString& prefix = {})
{
    QStringList keys;
    QStringList all = want.keys() + got.keys();
    all.removeDuplicates();
    for (const QString& key : std::as_const(all)) {
        if (want.value(key) == got.value(key))
            continue;
        if (prefix.isEmpty() && want.value(key).isObject() && got.value(key).isObject())
            keys +=
                differences(want.value(key).toObject(), got.value(key).toObject(), key + QLatin1Char('.'));
        else
            keys.append(prefix + key);
    }
    return keys;
}

// The example as the protocol types write it back; *what names the path it took.
Result<QJsonObject> roundTrip(const QJsonObject& example, QString* what)
{
    QStringList keys = example.keys();
    const bool envelope =
        example.value(QLatin1String("type")).isString() &&
        std::all_of(keys.cbegin(), keys.cend(), [](const QString& k) {
            return k == QLatin1String("type") || k == QLatin1String("id") || k == QLatin1String("payload");
        });
    if (envelope) {
        const Result<Envelope> parsed =
            Envelope::parse(QJsonDocument(example).toJson(QJsonDocument::Compact));
        if (!parsed)
            return makeError(parsed.error().code,
                             QStringLiteral("Envelope::parse: ") + parsed.error().message);
        const Codec codec = codecFor(parsed->type, parsed->payload);
        *what = QStringLiteral("envelope \"%1\"").arg(parsed->type);
        if (!codec)
            return makeError(
                ErrorCode::NotFound,
                QStringLiteral("no protocol type for \"%1\": add it to codecFor() in %2, or mark "
                               "the block <!-- not-an-example: why --> if it is not one")
                    .arg(parsed->type, QLatin1String(__FILE__)));
        const Result<QJsonObject> payload = codec(parsed->payload);
        if (!payload)
            return makeError(payload.error().code,
                             QStringLiteral("the payload does not parse: ") + payload.error().message);
        const Envelope back = Envelope::make(parsed->type, payload.value(), parsed->id);
        return QJsonDocument::fromJson(back.serialize()).object();
    }
    struct Value {
        const char* key;
        const char* name;
        Codec codec;
    };
    const Value values[] = {
        {"senderId", "message", viaJson<Message>},
        {"members", "room", viaJson<Room>},
        {"username", "user", viaJson<User>},
        {"indexStart", "mention", viaJson<Mention>},
        {"sha256", "file", viaJson<FileInfo>},
    };
    for (const Value& v : values) {
        if (example.contains(QLatin1String(v.key))) {
            *what = QStringLiteral("value object \"%1\"").arg(QLatin1String(v.name));
            return v.codec(example);
        }
    }
    *what = QStringLiteral("unknown");
    return makeError(ErrorCode::NotFound,
                     QStringLiteral("neither an envelope ({type, id?, payload}) nor a user, room, message or "
                                    "mention object; mark it <!-- not-an-example: why --> if it is not one"));
}

} // namespace

class TestProtocolDocs : public QObject {
    Q_OBJECT

private slots:
    void everyBlockIsFound();
    void example_data();
    void example();

private:
    QString m_markdown;
};

void TestProtocolDocs::everyBlockIsFound()
{
    QFile docs(docsPath());
    QVERIFY2(docs.open(QIODevice::ReadOnly), qPrintable(docs.fileName()));
    const QString markdown = QString::fromUtf8(docs.readAll());
    const QList<Block> blocks = jsonBlocks(markdown);
    // The extractor must not quietly miss fences (an indented or unclosed one).
    QCOMPARE(blocks.size(), int(markdown.count(QStringLiteral("```json"))));
    QVERIFY2(blocks.size() >= 40, "docs/protocol.md shows every event; far fewer blocks means a parse bug");
    int marked = 0;
    for (const Block& b : blocks)
        marked += b.notAnExample.isEmpty() ? 0 : 1;
    qInfo("%d json blocks in docs/protocol.md, %d marked not-an-example", int(blocks.size()), marked);
}

void TestProtocolDocs::example_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("notAnExample");
    QFile docs(docsPath());
    QVERIFY2(docs.open(QIODevice::ReadOnly), qPrintable(docs.fileName()));
    for (const Block& b : jsonBlocks(QString::fromUtf8(docs.readAll()))) {
        QTest::addRow("block %d, line %d, %s", b.number, b.line, qPrintable(b.heading))
            << b.json << b.notAnExample;
    }
}

void TestProtocolDocs::example()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, notAnExample);
    if (!notAnExample.isEmpty())
        QSKIP(qPrintable(QStringLiteral("marked not-an-example: ") + notAnExample));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(QStringLiteral("not valid JSON: %1 at byte %2 of the block")
                            .arg(error.errorString())
                            .arg(error.offset)));
    QVERIFY2(document.isObject(), "an example is one JSON object");
    const QJsonObject example = document.object();
    QString what;
    const Result<QJsonObject> back = roundTrip(example, &what);
    QVERIFY2(back.ok(), qPrintable(what + QStringLiteral(": ") + why(back)));
    QVERIFY2(back.value() == example,
             qPrintable(QStringLiteral("%1 does not come back as written; differs in %2\n   written: %3\n"
                                       "   read and written back: %4")
                            .arg(what, differences(example, back.value()).join(QStringLiteral(", ")),
                                 compact(example), compact(back.value()))));
}

QTEST_APPLESS_MAIN(TestProtocolDocs)
#include "tst_protocol_docs.moc"
