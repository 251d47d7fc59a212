// sync notify/emit with 100 observer(s): see ../sync.ts
import { notifySuite } from "../sync";

notifySuite(100);
