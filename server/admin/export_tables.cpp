#include "admin/export_tables.h"

#include <iterator>

namespace confab::server::admin {

namespace {

constexpr ColumnType I = ColumnType::Integer;
constexpr ColumnType T = ColumnType::Text;
constexpr ColumnType B = ColumnType::Blob;
constexpr bool kNullable = true;

const ExportColumn kUsers[] = {
    {"id", I},
    {"username", T},
    {"username_fold", T},
    {"display_name", T},
    {"display_name_fold", T},
    {"password_hash", B},
    {"created_at", I},
    {"last_seen_at", I},
    {"disabled", I},
    {"disabled_at", I, kNullable},
    {"status", T},               // format 4
    {"status_text", T},          // format 4
    {"send_receipts", I},        // format 4
    {"avatar_id", T, kNullable}, // format 6
};
// Format 6: avatars (issue 15), the images users refer to (users.avatar_id).
const ExportColumn kAvatars[] = {
    {"id", T},
    {"mime", T},
    {"data", B},
    {"created_at", I},
};
const ExportColumn kTokens[] = {
    {"token_hash", B}, {"user_id", I}, {"created_at", I}, {"expires_at", I}, {"revoked", I},
};
const ExportColumn kRooms[] = {
    {"id", I},
    {"type", T},
    {"name", T},
    {"owner_id", I, kNullable},
    {"dm_low", I, kNullable},
    {"dm_high", I, kNullable},
    {"created_at", I},
    {"topic", T},      // format 5
    {"visibility", T}, // format 5
    {"name_fold", T},  // format 5
};
const ExportColumn kMembers[] = {
    {"room_id", I}, {"user_id", I},    {"joined_at", I}, {"last_read_message_id", I},
    {"notify", T},                     // format 4
    {"role", T},    {"role_since", I}, // format 5
};
const ExportColumn kMessages[] = {
    {"id", I},
    {"room_id", I},
    {"sender_id", I},
    {"content", T},
    {"mentions_json", T},
    {"temp_id", T},
    {"reply_to", I, kNullable},
    {"created_at", I},
    {"edited_at", I, kNullable},
    {"deleted", I},
    {"revision", I},               // format 3
    {"kind", T},                   // format 5
    {"system_json", T, kNullable}, // format 5
};
// Format 5: groups (pins; roles, topics, visibility, system messages).
const ExportColumn kPins[] = {
    {"id", I}, {"room_id", I}, {"message_id", I}, {"pinned_by", I}, {"pinned_at", I},
};
// Format 3: the message lifecycle (reactions; messages.revision).
const ExportColumn kReactions[] = {
    {"id", I}, {"message_id", I}, {"emoji", T}, {"user_id", I}, {"created_at", I},
};
const ExportColumn kInvites[] = {
    {"id", I},       {"code_hash", B},  {"code_hint", T},
    {"max_uses", I}, {"uses", I},       {"expires_at", I, kNullable},
    {"revoked", I},  {"created_at", I},
};
// Format 7: files (issue 16). Chunks are blobs of up to 256 KiB each, so
// their pages are small (ExportTable::pageRows).
const ExportColumn kFiles[] = {
    {"id", I},
    {"uploader_id", I},
    {"room_id", I},
    {"name", T},
    {"size", I},
    {"mime", T},
    {"sha256", T},
    {"width", I, kNullable},
    {"height", I, kNullable},
    {"received", I},
    {"finished", I},
    {"message_id", I, kNullable},
    {"position", I},
    {"thumbnail_of", I, kNullable},
    {"created_at", I},
    {"updated_at", I},
};
const ExportColumn kFileChunks[] = {
    {"file_id", I},
    {"byte_offset", I},
    {"data", B},
};
const ExportColumn kMentions[] = {
    {"user_id", I},
    {"message_id", I},
    {"room_id", I},
};

template <std::size_t N>
constexpr ExportTable table(const char* name, const ExportColumn (&columns)[N], const char* key,
                            bool identity, bool sessions = false, int pageRows = 0)
{
    return ExportTable{name, columns, N, key, identity, sessions, pageRows};
}

// Parents before children: foreign keys are checked row by row on import.
const ExportTable kTables[] = {
    table("avatars", kAvatars, "id", false),
    table("users", kUsers, "id", true),
    table("tokens", kTokens, "token_hash", false, true),
    table("rooms", kRooms, "id", true),
    table("members", kMembers, "room_id, user_id", false),
    table("messages", kMessages, "id", true),
    table("mentions", kMentions, "user_id, message_id", false),
    table("invites", kInvites, "id", true),
    table("reactions", kReactions, "id", true),
    table("pins", kPins, "id", true),
    table("files", kFiles, "id", true),
    table("file_chunks", kFileChunks, "file_id, byte_offset", false, false, 4),
};

} // namespace

QStringList ExportTable::columnNames() const
{
    QStringList names;
    for (std::size_t i = 0; i < columnCount; ++i)
        names.append(QString::fromLatin1(columns[i].name));
    return names;
}

QStringList ExportTable::keyNames() const
{
    QStringList names = QString::fromLatin1(key).split(QLatin1Char(','));
    for (QString& keyName : names)
        keyName = keyName.trimmed();
    return names;
}

const ExportColumn* ExportTable::column(const QString& columnName) const
{
    for (std::size_t i = 0; i < columnCount; ++i) {
        if (columnName == QLatin1String(columns[i].name))
            return &columns[i];
    }
    return nullptr;
}

const ExportTable* exportTablesBegin()
{
    return std::begin(kTables);
}

const ExportTable* exportTablesEnd()
{
    return std::end(kTables);
}

const ExportTable* findExportTable(const QString& name)
{
    for (const ExportTable* t = exportTablesBegin(); t != exportTablesEnd(); ++t) {
        if (name == QLatin1String(t->name))
            return t;
    }
    return nullptr;
}

} // namespace confab::server::admin
