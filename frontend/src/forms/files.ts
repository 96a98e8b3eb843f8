/** Files people may attach: photos, videos and documents; on a phone the picker offers the camera for image/*. */
export const ACCEPTED_FILES = 'image/*,video/*,application/pdf,text/plain,.log,.txt,.csv,.zip,.docx,.xlsx,.pptx';
