// No imports here: the tracker bundles these names and must not pull in zod.

/**
 * The names of the events leadscore itself produces. Models match on these;
 * anything else a site tracks is matched by its own name.
 */
export const EventName = {
  pageViewed: 'Page Viewed',
  outboundClicked: 'Outbound Link Clicked',
  fileDownloaded: 'File Downloaded',
  formSubmitted: 'Form Submitted',
  engagedTime: 'Engaged Time',
  emailOpened: 'Email Opened',
  emailLinkClicked: 'Email Link Clicked',
  webinarRegistered: 'Webinar Registered',
  webinarAttended: 'Webinar Attended',
  demoRequested: 'Demo Requested',
} as const;
