import type { Generated } from 'kysely'

/** Row types for Kysely (camelCase through db/camel-case.ts). Kept in step with migrations/ by db/schema.test.ts. */
export interface DB {
  settings: { key: string; value: string }
  users: {
    id: Generated<number>
    email: string
    name: string
    role: string
    passwordHash: string | null
    isActive: number
    trustLevel: Generated<string>
    clearance: Generated<string>
    createdAt: number
    updatedAt: number
  }
  sessions: {
    id: string
    userId: number
    createdAt: number
    expiresAt: number
    // issue 10 security session details
    // issue 10 sso session details
    lastSeenAt: number | null
    ip: string | null
    userAgent: string | null
    enrolmentOnly: Generated<number>
  }
  apiTokens: {
    id: Generated<number>
    userId: number
    name: string
    tokenHash: string
    createdAt: number
    lastUsedAt: number | null
    /** Comma-separated scopes (read, write, admin). */
    scopes: Generated<string>
    expiresAt: number | null
  }
  invites: {
    id: Generated<number>
    email: string
    role: string
    tokenHash: string
    invitedById: number
    expiresAt: number
    acceptedAt: number | null
    createdAt: number
  }
  loginAttempts: { key: string; count: number; windowStart: number }
  teams: { id: Generated<number>; name: string; createdAt: number }
  teamMembers: { teamId: number; userId: number }
  inboxes: {
    id: Generated<number>
    name: string
    type: string
    teamId: number | null
    autoReply: unknown
    emailSettings: unknown
    chatSettings: Generated<unknown>
    createdAt: number
  }
  organizations: {
    id: Generated<number>
    name: string
    domain: string | null
    notes: string
    customFields: unknown
    tier: Generated<string | null>
    createdAt: number
    updatedAt: number
  }
  contacts: {
    id: Generated<number>
    name: string
    organizationId: number | null
    notes: string
    customFields: unknown
    mergedIntoId: number | null
    vip: Generated<number>
    createdAt: number
    updatedAt: number
  }
  contactIdentities: {
    id: Generated<number>
    contactId: number
    kind: string
    value: string
    createdAt: number
    bouncingAt: Generated<number | null>
    bounceReason: Generated<string | null>
  }
  tickets: {
    id: Generated<number>
    subject: string
    status: string
    priority: string
    inboxId: number
    requesterId: number
    organizationId: number | null
    assigneeId: number | null
    teamId: number | null
    customFields: unknown
    mergedIntoId: number | null
    firstResponseAt: number | null
    solvedAt: number | null
    followUpOfId: Generated<number | null>
    categoryId: Generated<number | null>
    riskLevel: Generated<string>
    riskReasons: Generated<unknown>
    lastMessageAt: number
    lastMessageId: number | null
    messageCount: number
    preview: string
    createdAt: number
    updatedAt: number
  }
  ticketTags: { ticketId: number; tag: string }
  ticketFollowers: { ticketId: number; userId: number }
  messages: {
    id: Generated<number>
    ticketId: number
    kind: string
    direction: string
    authorUserId: number | null
    authorContactId: number | null
    text: string
    fullText: string
    html: string
    event: unknown
    deliveryStatus: Generated<string | null>
    deliveryError: Generated<string | null>
    emailMeta: Generated<unknown>
    authorRole: Generated<string | null>
    authorTrustLevel: Generated<string | null>
    createdAt: number
  }
  /** `content`: the bytes of a small blob kept in its row (else they are a file of the blob store). */
  blobs: { hash: string; size: number; createdAt: number; content: Buffer | null }
  attachments: {
    id: Generated<number>
    messageId: number | null
    blobHash: string
    filename: string
    contentType: string
    size: number
    uploadedById: number | null
    createdAt: number
  }
  customFields: { id: Generated<number>; entity: string; key: string; label: string; type: string; options: unknown; createdAt: number }
  views: { id: Generated<number>; userId: number; name: string; shared: number; filters: unknown; createdAt: number }
  notifications: {
    id: Generated<number>
    userId: number
    kind: string
    ticketId: number | null
    messageId: number | null
    actorId: number | null
    title: string
    readAt: number | null
    createdAt: number
    /** 0: kept only to be emailed (the person turned that kind off in the app). */
    inApp: Generated<number>
  }
  jobs: {
    id: Generated<number>
    name: string
    payload: string
    status: string
    attempts: number
    maxAttempts: number
    runAt: number
    lockedUntil: number | null
    lockedBy: string | null
    idempotencyKey: string | null
    lastError: string | null
    createdAt: number
    updatedAt: number
  }
  inboxAddresses: { address: string; inboxId: number }
  inboundEmails: {
    id: Generated<number>
    inboxId: number
    blobHash: string
    size: number
    receivedVia: string
    status: string
    dedupeKey: string | null
    headerMessageId: string | null
    fromAddress: string | null
    subject: string | null
    disposition: string | null
    ticketId: number | null
    messageId: number | null
    error: string | null
    attempts: number
    createdAt: number
    claimedAt: number | null
    processedAt: number | null
  }
  emailThreadKeys: { key: string; ticketId: number; inboxId: number; messageId: number | null; direction: string; createdAt: number }
  ticketParticipants: { ticketId: number; email: string; role: string }
  autoRepliesSent: { inboxId: number; email: string; sentAt: number }
  imapState: {
    inboxId: number
    uidValidity: string | null
    lastUid: number
    status: string
    lastError: string | null
    lastRunAt: number | null
    lastSuccessAt: number | null
    importedCount: number
  }
  // issue 6 surveys tables
  csatRequests: {
    id: Generated<number>
    ticketId: number
    contactId: number
    email: string | null
    solvedAt: number
    tokenHash: string | null
    status: string
    skipReason: string | null
    scale: string
    sendAt: number
    sentAt: number | null
    expiresAt: number
    ratedAt: number | null
    score: number | null
    comment: string | null
    createdAt: number
  }
  surveys: {
    id: Generated<number>
    kind: string
    slug: string
    title: string
    intro: string
    status: string
    publicLink: Generated<number>
    questions: unknown
    createdById: number | null
    createdAt: number
    updatedAt: number
  }
  surveyInvitations: {
    id: Generated<number>
    surveyId: number
    contactId: number
    email: string | null
    orderRef: string | null
    dedupeKey: string
    tokenHash: string | null
    status: string
    skipReason: string | null
    sentAt: number | null
    answeredAt: number | null
    createdAt: number
  }
  surveyResponses: { id: Generated<number>; surveyId: number; contactId: number | null; invitationId: number | null; createdAt: number }
  surveyAnswers: { id: Generated<number>; responseId: number; questionId: string; value: string }
  // issue 6 reports tables
  reportDirtyTickets: { ticketId: number; markedAt: number }
  reportCycles: {
    ticketId: number
    cycle: number
    openedAt: number
    firstResponseAt: number | null
    firstResponseSeconds: number | null
    solvedAt: number | null
    resolutionSeconds: number | null
    replies: number
    reviewedReplies: number
    reopened: number
    isOpen: number
    waitingSince: number | null
    inboxId: number
    teamId: number | null
    assigneeId: number | null
    priority: string
    riskLevel: string
    categoryId: number | null
    channel: string
    tags: string
    csatSent: number
    csatScore: number | null
  }
  reportCycleResponders: {
    ticketId: number
    cycle: number
    userId: number
    replied: number
    reviewed: number
    consulted: number
    cohort: string
    trustLevel: string
    replies: number
    reviewedReplies: number
  }
  reportRollups: {
    scope: string
    dim: string
    day: number
    key: string
    created: Generated<number>
    opened: Generated<number>
    solved: Generated<number>
    replies: Generated<number>
    reviewedReplies: Generated<number>
    reopened: Generated<number>
    backlog: Generated<number>
    csatSent: Generated<number>
    csatRated: Generated<number>
    csatPositive: Generated<number>
    frCount: Generated<number>
    frSum: Generated<number>
    resCount: Generated<number>
    resSum: Generated<number>
    frH0: Generated<number>
    frH1: Generated<number>
    frH2: Generated<number>
    frH3: Generated<number>
    frH4: Generated<number>
    frH5: Generated<number>
    frH6: Generated<number>
    frH7: Generated<number>
    frH8: Generated<number>
    frH9: Generated<number>
    frH10: Generated<number>
    frH11: Generated<number>
    resH0: Generated<number>
    resH1: Generated<number>
    resH2: Generated<number>
    resH3: Generated<number>
    resH4: Generated<number>
    resH5: Generated<number>
    resH6: Generated<number>
    resH7: Generated<number>
    resH8: Generated<number>
    resH9: Generated<number>
    resH10: Generated<number>
    resH11: Generated<number>
  }
  // issue 6 voc tables
  vocItems: {
    id: Generated<number>
    kind: string
    title: string
    descriptionHtml: string
    descriptionText: string
    status: string
    trackerUrl: string | null
    createdById: number | null
    linkCount: Generated<number>
    customerCount: Generated<number>
    organizationCount: Generated<number>
    firstSeenAt: number | null
    lastSeenAt: number | null
    shippedAt: number | null
    createdAt: number
    updatedAt: number
  }
  vocLinks: {
    id: Generated<number>
    itemId: number
    ticketId: number | null
    surveyResponseId: number | null
    contactId: number | null
    organizationId: number | null
    quote: string | null
    linkedById: number | null
    seenAt: number
    createdAt: number
  }
  vocStatusChanges: { id: Generated<number>; itemId: number; fromStatus: string | null; toStatus: string; actorId: number | null; createdAt: number }
  vocSuggestions: {
    id: Generated<number>
    kind: string
    itemId: number | null
    title: string
    terms: unknown
    ticketIds: unknown
    score: number
    fingerprint: string
    status: string
    decidedById: number | null
    decidedAt: number | null
    createdAt: number
  }
  vocNotifications: {
    id: Generated<number>
    itemId: number
    contactId: number
    ticketId: number
    body: string
    status: string
    messageId: number | null
    reviewId: number | null
    error: string | null
    sentById: number | null
    sentAt: number | null
    createdAt: number
    updatedAt: number
  }
  // issue 5 tables
  rotations: {
    id: Generated<number>
    name: string
    kind: string
    timeZone: string
    oncallTeamId: number | null
    quotaPerYear: number | null
    swapRequiresApproval: number
    reviewRequired: number
    reminderLeadMinutes: number
    schedule: unknown
    snippets: unknown
    isActive: Generated<number>
    createdById: number | null
    createdAt: number
    updatedAt: number
  }
  rotationMembers: { rotationId: number; memberType: string; memberId: number }
  shiftSkips: { rotationId: number; userId: number; startsAt: number }
  shiftSwaps: {
    id: Generated<number>
    shiftId: number
    fromUserId: number
    toUserId: number
    status: string
    note: string
    decidedById: number | null
    createdAt: number
    decidedAt: number | null
  }
  riskRules: {
    id: Generated<number>
    name: string
    type: string
    level: string
    enabled: Generated<number>
    position: number
    config: unknown
    createdAt: number
    updatedAt: number
  }
  riskRuleMatches: { ruleId: number; ticketId: number; detail: string; matchedAt: number }
  queueAssignments: { id: Generated<number>; ticketId: number; userId: number; source: string; assignedAt: number }
  courses: {
    id: Generated<number>
    title: string
    description: string
    categoryId: number | null
    grantsClearance: string
    published: Generated<number>
    createdById: number | null
    createdAt: number
    updatedAt: number
  }
  courseLessons: {
    id: Generated<number>
    courseId: number
    position: number
    kind: string
    title: string
    body: string
    quiz: unknown
    practiceTicketId: number | null
    practice: unknown
    createdAt: number
  }
  courseEnrollments: { courseId: number; userId: number; enrolledById: number | null; createdAt: number; completedAt: number | null }
  lessonCompletions: { lessonId: number; userId: number; courseId: number; completedAt: number }
  quizAttempts: { id: Generated<number>; lessonId: number; userId: number; answers: unknown; score: number; passed: number; createdAt: number }
  practiceAttempts: {
    id: Generated<number>
    lessonId: number
    userId: number
    html: string
    text: string
    status: string
    graderId: number | null
    feedback: string | null
    createdAt: number
    gradedAt: number | null
  }
  consults: {
    id: Generated<number>
    ticketId: number
    askedById: number
    teamId: number | null
    assigneeId: number | null
    question: string
    status: string
    sortRank: number
    dueAt: number
    answeredAt: number | null
    resolvedAt: number | null
    resolvedById: number | null
    messageCount: Generated<number>
    lastMessageAt: number | null
    createdAt: number
    updatedAt: number
  }
  consultMessages: {
    id: Generated<number>
    consultId: number
    authorId: number
    html: string
    text: string
    isAnswer: Generated<number>
    via: string
    inboundEmailId: number | null
    createdAt: number
  }
  reviewPolicies: {
    id: Generated<number>
    categoryId: number | null
    enabled: number
    approvalsRequired: number
    maxEditRatio: number
    slaMinutes: number
    createdAt: number
    updatedAt: number
  }
  rideAlongs: { id: Generated<number>; followerId: number; followedId: number; startedAt: number; endedAt: number | null; endedById: number | null }
  rideAlongMessages: { id: Generated<number>; rideAlongId: number; authorId: number; body: string; createdAt: number }
  categories: { id: Generated<number>; name: string; keywords: unknown; createdAt: number }
  certifications: { userId: number; categoryId: number; source: string; grantedById: number | null; createdAt: number }
  shifts: {
    id: Generated<number>
    rotationId: number | null
    userId: number
    startsAt: number
    endsAt: number
    startedAt: number | null
    endedAt: number | null
    reviewRequired: Generated<number>
    createdAt: number
    plannedUserId: Generated<number | null>
    remindedAt: Generated<number | null>
  }
  replyReviews: {
    id: Generated<number>
    ticketId: number
    authorId: number
    status: string
    html: string
    text: string
    attachmentIds: unknown
    requestedStatus: string | null
    reason: string
    reviewerId: number | null
    finalHtml: string | null
    feedback: string | null
    messageId: number | null
    createdAt: number
    decidedAt: number | null
    editRatio: Generated<number | null>
    finalText: Generated<string | null>
  }
  auditLog: {
    id: Generated<number>
    actorId: number | null
    action: string
    targetType: string
    targetId: number | null
    data: unknown
    createdAt: number
    // issue 10 export: where the change came from (null for jobs and the CLI)
    ip: Generated<string | null>
    userAgent: Generated<string | null>
  }
  // issue 8 leases tables
  leases: { name: string; holder: string; expiresAt: number }
  // issue 10 security tables
  twoFactorCredentials: { userId: number; secret: string; enabledAt: number | null; lastUsedStep: number | null; createdAt: number }
  recoveryCodes: { id: Generated<number>; userId: number; codeHash: string; usedAt: number | null; createdAt: number }
  loginChallenges: { id: string; userId: number; expiresAt: number; createdAt: number }
  // issue 10 webhooks tables
  webhooks: {
    id: Generated<number>
    url: string
    description: Generated<string>
    events: unknown
    secret: string
    previousSecret: string | null
    previousSecretExpiresAt: number | null
    secretRotatedAt: number | null
    enabled: Generated<number>
    disabledReason: string | null
    disabledAt: number | null
    consecutiveFailures: Generated<number>
    failingSince: number | null
    lastDeliveryAt: number | null
    createdById: number | null
    createdAt: number
    updatedAt: number
  }
  webhookDeliveries: {
    id: Generated<number>
    webhookId: number
    messageId: string
    event: string
    eventKey: string
    refs: string
    payload: string | null
    payloadTruncated: Generated<number>
    status: string
    attempts: Generated<number>
    redeliveries: Generated<number>
    responseStatus: number | null
    responseExcerpt: string | null
    durationMs: number | null
    error: string | null
    requestHeaders: string | null
    lastAttemptAt: number | null
    deliveredAt: number | null
    createdAt: number
  }
  webhookTicketStates: { ticketId: number; state: string; updatedAt: number }
  // issue 10 macros tables
  // issue 10 automations tables
  automations: {
    id: Generated<number>
    name: string
    description: Generated<string>
    enabled: Generated<number>
    position: number
    trigger: string
    schedule: unknown
    conditions: unknown
    actions: unknown
    runCount: Generated<number>
    lastFiredAt: number | null
    scanAt: Generated<number>
    scanId: Generated<number>
    createdById: number | null
    createdAt: number
    updatedAt: number
  }
  automationFirings: { id: Generated<number>; automationId: number; ticketId: number; eventKey: string; firedAt: number }
  // issue 10 sla tables
  slaCalendars: { id: Generated<number>; name: string; timeZone: string; week: string; holidays: string; createdAt: number; updatedAt: number }
  slaPolicies: {
    id: Generated<number>
    name: string
    position: number
    enabled: Generated<number>
    conditions: string
    targets: string
    calendarId: number | null
    warnPercent: Generated<number>
    createdAt: number
    updatedAt: number
  }
  slaTimers: {
    id: Generated<number>
    ticketId: number
    metric: string
    policyId: number | null
    priority: string
    teamId: number | null
    calendar: string | null
    targetMs: number
    warnMs: number
    startedAt: number
    dueAt: number | null
    warnAt: number | null
    pausedAt: number | null
    pausedMs: Generated<number>
    achievedAt: number | null
    breachedAt: number | null
    warnedAt: number | null
  }
  slaTicketDue: { ticketId: number; dueAt: number }
  // issue 10 notifications tables
  notificationPreferences: { userId: number; kind: string; inApp: number; email: string }
  notificationSettings: {
    userId: number
    timeZone: Generated<string>
    digestHour: Generated<number>
    lastDigestDay: string | null
    lastDigestAt: number | null
  }
  // issue 10 import tables
  imports: {
    id: Generated<number>
    kind: string
    status: string
    filename: string
    blobHash: string
    size: number
    inboxId: number | null
    mapping: unknown
    total: number | null
    cursor: Generated<number>
    imported: Generated<number>
    updated: Generated<number>
    skipped: Generated<number>
    failed: Generated<number>
    errors: unknown
    errorCount: Generated<number>
    report: unknown
    error: string | null
    createdById: number | null
    createdAt: number
    startedAt: number | null
    finishedAt: number | null
    updatedAt: number
  }
  importExternalIds: { source: string; kind: string; externalId: string; localId: number | null; label: string | null; createdAt: number }
  // issue 10 export tables
  exports: {
    id: Generated<number>
    kind: string
    format: string
    filters: unknown
    contactId: number | null
    status: string
    rowCount: Generated<number>
    totalEstimate: number | null
    cursor: string | null
    size: Generated<number>
    error: string | null
    requestedById: number
    createdAt: number
    finishedAt: number | null
  }
  exportParts: { exportId: number; seq: number; blobHash: string; size: number }
  // issue 10 sso tables
  oidcIdentities: {
    id: Generated<number>
    userId: number
    issuer: string
    subject: string
    email: string | null
    createdAt: number
    lastLoginAt: number | null
  }
  oidcLoginStates: { id: string; nonce: string; codeVerifier: string; expiresAt: number; createdAt: number }
  // issue 9 kb tables
  kbArticleFiles: {
    id: Generated<number>
    articleId: number
    kind: string
    blobHash: string
    filename: string
    contentType: string
    size: number
    uploadedById: number | null
    createdAt: number
  }
  kbCategories: { id: Generated<number>; name: string; description: Generated<string>; position: Generated<number>; createdAt: number; updatedAt: number }
  kbSections: {
    id: Generated<number>
    categoryId: number
    name: string
    description: Generated<string>
    position: Generated<number>
    createdAt: number
    updatedAt: number
  }
  kbArticles: {
    id: Generated<number>
    translationGroup: number | null
    lang: string
    sectionId: number | null
    title: string
    slug: string
    bodyHtml: string
    bodyText: string
    status: string
    visibility: string
    position: Generated<number>
    version: Generated<number>
    authorId: number | null
    submittedById: number | null
    reviewNote: string | null
    helpfulCount: Generated<number>
    unhelpfulCount: Generated<number>
    publishedAt: number | null
    deletedAt: number | null
    createdAt: number
    updatedAt: number
  }
  kbArticleVersions: {
    id: Generated<number>
    articleId: number
    version: number
    title: string
    bodyHtml: string
    note: Generated<string>
    authorId: number | null
    createdAt: number
  }
  kbVotes: { id: Generated<number>; articleId: number; helpful: number; comment: string | null; createdAt: number }
  kbSearchLog: { id: Generated<number>; query: string; lang: string; results: number; createdAt: number }
  kbTerms: { term: string }
  // issue 9 decision-trees tables
  decisionTrees: {
    id: Generated<number>
    slug: string
    name: string
    description: Generated<string>
    audience: string
    draft: unknown
    publishedVersionId: number | null
    createdById: number | null
    createdAt: number
    updatedAt: number
  }
  // issue 9 community tables
  communityBridgeClaims: { topicId: number; kind: string; claimedAt: number }
  communityTerms: { term: string }
  communityCategories: {
    id: Generated<number>
    name: string
    description: Generated<string>
    position: Generated<number>
    topicCount: Generated<number>
    createdAt: number
    updatedAt: number
  }
  communityMembers: {
    id: Generated<number>
    email: string
    displayName: string
    contactId: number | null
    reputation: Generated<number>
    postCount: Generated<number>
    approvedCount: Generated<number>
    bannedAt: number | null
    banReason: string | null
    lastLoginAt: number | null
    createdAt: number
  }
  communityLoginLinks: {
    id: Generated<number>
    email: string
    tokenHash: string | null
    returnTo: string | null
    expiresAt: number
    usedAt: number | null
    createdAt: number
  }
  communitySessions: { id: string; memberId: number; createdAt: number; expiresAt: number }
  communityTopics: {
    id: Generated<number>
    categoryId: number
    title: string
    slug: string
    authorMemberId: number | null
    authorUserId: number | null
    status: string
    isLocked: Generated<number>
    isPinned: Generated<number>
    acceptedPostId: number | null
    answerCount: Generated<number>
    score: Generated<number>
    mergedIntoId: number | null
    ticketId: number | null
    kbArticleId: number | null
    vocItemId: number | null
    lastActivityAt: number
    createdAt: number
    updatedAt: number
  }
  communityPosts: {
    id: Generated<number>
    topicId: number
    kind: string
    authorMemberId: number | null
    authorUserId: number | null
    bodyHtml: string
    bodyText: string
    status: string
    heldReason: string | null
    score: Generated<number>
    flagCount: Generated<number>
    editedAt: Generated<number | null>
    createdAt: number
    updatedAt: number
  }
  communityVotes: { postId: number; voterKey: string; value: number; createdAt: number }
  communityFollows: { topicId: number; memberId: number | null; userId: number | null; followerKey: string; createdAt: number }
  communityFlags: {
    postId: number
    flaggerKey: string
    reason: Generated<string>
    createdAt: number
  }
  decisionTreeVersions: { id: Generated<number>; treeId: number; version: number; definition: unknown; createdById: number | null; createdAt: number }
  decisionTreeRuns: {
    id: Generated<number>
    treeId: number
    versionId: number | null
    currentTreeId: number
    currentNodeId: string | null
    definition: unknown
    token: string | null
    userId: number | null
    ticketId: number | null
    visitorIp: string | null
    isTest: Generated<number>
    path: unknown
    variables: unknown
    outcome: string | null
    createdTicketId: number | null
    noteMessageId: number | null
    createdAt: number
    updatedAt: number
    endedAt: number | null
    channel: Generated<string>
  }
  decisionTreeRequirements: { categoryId: number; treeId: number; createdAt: number }
  macros: {
    id: Generated<number>
    name: string
    bodyHtml: string
    actions: unknown
    scope: string
    ownerId: number | null
    approvedForContributors: Generated<number>
    usageCount: Generated<number>
    lastUsedAt: number | null
    createdById: number | null
    createdAt: number
    updatedAt: number
  }
  // issue 7 chat tables
  chatVisitors: {
    id: Generated<number>
    inboxId: number
    tokenHash: string
    contactId: number | null
    verified: Generated<number>
    externalId: string | null
    claimedName: string | null
    claimedEmail: string | null
    visitCount: Generated<number>
    visitStartedAt: number
    timezone: Generated<string>
    language: Generated<string>
    createdAt: number
    lastSeenAt: number
  }
  chatPageViews: {
    id: Generated<number>
    visitorId: number
    contactId: number | null
    url: string
    title: string
    referrer: string
    createdAt: number
    leftAt: number | null
  }
  chatConversations: {
    ticketId: number
    visitorId: number
    inboxId: number
    status: string
    agentId: number | null
    startedAt: number
    endedAt: number | null
    visitorReadUpTo: number | null
    agentReadUpTo: number | null
    rating: number | null
    ratingComment: string | null
  }
  chatClientMessages: { visitorId: number; clientId: string; messageId: number }
  agentChatStatus: { userId: number; status: string; capacity: number; lastAssignedAt: Generated<number>; updatedAt: number }
  chatInviteRules: {
    id: Generated<number>
    inboxId: number
    name: string
    urlPattern: string
    minSecondsOnPage: number
    returningOnly: number
    message: string
    capHours: number
    enabled: number
    createdAt: number
  }
  chatInvites: {
    id: Generated<number>
    visitorId: number
    inboxId: number
    ruleId: number | null
    userId: number | null
    message: string
    status: string
    createdAt: number
    answeredAt: number | null
  }
  chatSupervisions: { id: Generated<number>; ticketId: number; userId: number; mode: string; startedAt: number; endedAt: number | null }
}
