/** Community forum (issue 9): staff API, public pages at /community, jobs and demo data. */
export { communityRoutes } from './community.routes.ts'
export { communityPages } from './community.pages.ts'
export { sendCommunityLoginLinkJob } from './jobs/send-community-login-link.ts'
export { notifyTopicFollowersJob } from './jobs/notify-topic-followers.ts'
export { cleanCommunitySessionsJob } from './jobs/clean-community-sessions.ts'
export { seedCommunityDemo } from './community.demo.ts'
