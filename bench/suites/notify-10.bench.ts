// sync notify/emit with 10 observer(s): see ../sync.ts
import { notifySuite } from "../sync";

notifySuite(10);
