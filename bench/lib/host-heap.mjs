// The V8 heap budget of the local host, as package.json's start, demo and host scripts give it: every bench that
// runs the host (in its own process or a child) runs it with the same, so RSS figures compare with npm start.
export const HOST_HEAP = '--max-old-space-size=512';
