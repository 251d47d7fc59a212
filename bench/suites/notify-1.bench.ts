// sync notify/emit with 1 observer(s): see ../sync.ts
import { notifySuite } from "../sync";

notifySuite(1);
