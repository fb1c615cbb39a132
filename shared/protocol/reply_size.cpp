#include "protocol/reply_size.h"

#include <algorithm>
#include <numeric>

namespace confab::replysize {
namespace {

// The widest a number prints ("-9.2233720368547758e+18" is 23 characters).
constexpr qsizetype kNumber = 24;
// Keys, quotes, colons, commas and braces of each object, counted from their
// compact JSON with every value removed, rounded up.
// {"id":,"username":"","displayName":"","online":false,"lastSeenAt":,"role":"member",
//  "statusText":"","status":"available","sendReceipts":false}
constexpr qsizetype kUserSkeleton = 148;
constexpr qsizetype kMentionSkeleton = 40; // {"userId":,"indexStart":,"indexEnd":}
// fifteen keys, "truncated":true, "deleted":false, "kind":"system", nulls
constexpr qsizetype kMessageSkeleton = 230;
constexpr qsizetype kReactionSkeleton = 28;     // {"emoji":"","userIds":[]}
constexpr qsizetype kReplyPreviewSkeleton = 56; // {"id":,"senderId":,"content":"","deleted":false}
// ,"attachments":[] on every message, then per file:
// {"id":,"name":"","size":,"mime":"","sha256":"<64>","width":,"height":,"thumbnailId":}
constexpr qsizetype kAttachmentsKey = 18;
constexpr qsizetype kFileSkeleton = 150;
// twelve keys, "memberCount", "group", null, "topic", "visibility":"private", "notify":"mentions"
constexpr qsizetype kRoomSkeleton = 220;
// ,"system":{"action":"member_removed","actorId":,"userIds":[],"name":"","topic":"","messageId":,
//  "role":"member"}
constexpr qsizetype kSystemSkeleton = 120;

qsizetype membersBytes(const QList<User>& members)
{
    return std::accumulate(members.cbegin(), members.cend(), qsizetype(0),
                           [](qsizetype sum, const User& u) { return sum + jsonBytesBound(u) + 1; });
}

// A reaction lists every user who reacted: a popular one in a big group holds
// thousands of ids, so ids are counted at their real width, not the widest.
qsizetype idBytes(qint64 id)
{
    constexpr qint64 kExactInDouble = qint64(1) << 53; // printed as plain digits below this
    if (id <= -kExactInDouble || id >= kExactInDouble)
        return kNumber;
    qsizetype digits = id < 0 ? 2 : 1;
    for (qint64 rest = id < 0 ? -id : id; rest >= 10; rest /= 10)
        ++digits;
    return digits;
}

qsizetype reactionBytes(const Reaction& reaction)
{
    return std::accumulate(reaction.userIds.cbegin(), reaction.userIds.cend(),
                           kReactionSkeleton + jsonStringBytes(reaction.emoji),
                           [](qsizetype sum, Id id) { return sum + idBytes(id) + 1; });
}

} // namespace

qsizetype jsonStringBytes(QStringView text)
{
    qsizetype bytes = 0;
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t u = text.at(i).unicode();
        if (u < 0x20)
            bytes += (u == u'\b' || u == u'\f' || u == u'\n' || u == u'\r' || u == u'\t') ? 2 : 6;
        else if (u == u'"' || u == u'\\')
            bytes += 2;
        else if (u < 0x80)
            bytes += 1;
        else if (u < 0x800)
            bytes += 2;
        else if (QChar::isHighSurrogate(u) && i + 1 < size && text.at(i + 1).isLowSurrogate())
            bytes += 4, ++i;
        else if (QChar::isSurrogate(u))
            bytes += 6;
        else
            bytes += 3;
    }
    return bytes;
}

qsizetype jsonBytesBound(const User& user)
{
    return kUserSkeleton + 2 * kNumber + jsonStringBytes(user.username) + jsonStringBytes(user.displayName) +
           jsonStringBytes(user.statusText);
}

qsizetype jsonBytesBound(const Mention&)
{
    return kMentionSkeleton + 3 * kNumber;
}

qsizetype jsonBytesBound(const Message& message)
{
    qsizetype bytes = kMessageSkeleton + 7 * kNumber + jsonStringBytes(message.content) +
                      jsonStringBytes(message.tempId) +
                      message.mentions.size() * (jsonBytesBound(Mention{}) + 1);
    for (const Reaction& reaction : message.reactions)
        bytes += reactionBytes(reaction) + 1;
    bytes += kAttachmentsKey;
    for (const FileInfo& file : message.attachments)
        bytes += kFileSkeleton + 5 * kNumber + jsonStringBytes(file.name) + jsonStringBytes(file.mime) + 1;
    if (message.replyPreview)
        bytes += kReplyPreviewSkeleton + 2 * kNumber + jsonStringBytes(message.replyPreview->content);
    if (const std::optional<SystemInfo>& system = message.system) {
        bytes += kSystemSkeleton + 2 * kNumber + jsonStringBytes(system->name.value_or(QString())) +
                 jsonStringBytes(system->topic.value_or(QString()));
        for (Id id : system->userIds)
            bytes += idBytes(id) + 1;
    }
    return bytes;
}

qsizetype jsonBytesBound(const Room& room)
{
    return kRoomSkeleton + 6 * kNumber + jsonStringBytes(room.name) + jsonStringBytes(room.topic) +
           membersBytes(room.members) +
           (room.lastMessage ? jsonBytesBound(*room.lastMessage) : 0);
}

bool PageBudget::take(const Message& message)
{
    const qint64 bytes = jsonBytesBound(message) + 1; // and its comma
    if (!m_first && bytes > m_left)
        return false;
    m_first = false;
    m_left -= bytes;
    return true;
}

bool keepWithinBudget(QList<Message>& messages, PageEnd keep, qint64 bytes)
{
    PageBudget budget(bytes);
    const qsizetype size = messages.size();
    qsizetype kept = 0;
    while (kept < size && budget.take(messages.at(keep == PageEnd::Front ? kept : size - 1 - kept)))
        ++kept;
    if (kept == size)
        return false;
    if (keep == PageEnd::Front)
        messages.remove(kept, size - kept);
    else
        messages.remove(0, size - kept);
    return true;
}

void cutToPreview(Message& message, int maxLength)
{
    if (message.content.size() <= maxLength)
        return;
    qsizetype cut = maxLength;
    if (cut > 0 && message.content.at(cut - 1).isHighSurrogate())
        --cut;
    message.content.truncate(cut);
    message.mentions.removeIf([cut](const Mention& m) { return m.indexEnd > cut; });
    message.truncated = true;
}

RoomsFit fitRooms(QList<Room>& rooms, qint64 budget)
{
    RoomsFit fit;
    QList<qsizetype> sizes;
    sizes.reserve(rooms.size());
    for (const Room& room : std::as_const(rooms))
        sizes.append(jsonBytesBound(room) + 1);
    // {"rooms":[...],"hasMore":true} around them.
    qint64 total = 32 + std::accumulate(sizes.cbegin(), sizes.cend(), qint64(0));
    if (total <= budget)
        return fit;

    // Longest member lists first: the fewest rooms lose the most bytes.
    QList<qsizetype> order(rooms.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&rooms](qsizetype a, qsizetype b) {
        return rooms.at(a).members.size() > rooms.at(b).members.size();
    });
    for (qsizetype i : std::as_const(order)) {
        Room& room = rooms[i];
        if (total <= budget || room.members.size() <= limits::kCutMemberListLength)
            break;
        if (room.type != RoomType::Group)
            continue;
        const qsizetype before = membersBytes(room.members);
        room.memberCount = int(room.members.size());
        room.members.resize(limits::kCutMemberListLength);
        const qsizetype saved = before - membersBytes(room.members);
        sizes[i] -= saved;
        total -= saved;
        ++fit.cutMemberLists;
    }
    while (total > budget && rooms.size() > 1) {
        total -= sizes.takeLast();
        rooms.removeLast();
        ++fit.leftOut;
    }
    return fit;
}

RoomsFit fitRoom(Room& room, qint64 budget)
{
    QList<Room> one{std::move(room)};
    const RoomsFit fit = fitRooms(one, budget);
    room = std::move(one.first());
    return fit;
}

} // namespace confab::replysize
